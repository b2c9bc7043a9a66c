/**
 * Pass/warn/fail lines per use. "listing" is spec §D.6 as written (its pass line is our warn line, its
 * fail line ours); "editorial" turns §D.6's pass line into the fail line (a print or campaign image has
 * no warn band to spare); "social" is looser where a phone screen forgives (stone count, alignment and
 * spill never loosen: a different product is a different product at any size). All [P]: tune on
 * catalog images.
 */
export type Tier = 'social' | 'listing' | 'editorial';
export const TIERS: readonly Tier[] = ['social', 'listing', 'editorial'];

export interface Line {
  readonly fail: number;
  readonly warn: number;
}

export interface TierThresholds {
  /** Mean cs (structure) over the eroded piece: ≥. */
  readonly structure: Line;
  /** Worst tile's mean cs: ≥. */
  readonly localStructure: Line;
  /** p95 ΔE00 beyond a uniform white-balance change, on the metal: ≤. */
  readonly colourDrift: Line;
  /** Metal tone: steps outside its window (2° hue / 0.02 C*÷L* / 0.5 b*): ≤. */
  readonly metalTone: Line;
  /** Lost stones: ≤. */
  readonly stones: Line;
  /** Worst setting-ring cs: ≥. */
  readonly settings: Line;
  /** Sharpness ratio (VarLap after ÷ before): ≥. */
  readonly sharpness: Line;
  /** Edge overshoot p99, code values: ≤. */
  readonly halo: Line;
  /** Clipped metal, %: ≤. */
  readonly highlights: Line;
  /** Background spill at the edge, % of the edge ring: ≤. */
  readonly spill: Line;
  /** Shift of the piece, px: ≤. */
  readonly alignment: Line;
  /** Contact ΔL*: ≥. */
  readonly contact: Line;
}

const LISTING: TierThresholds = {
  structure: { fail: 0.93, warn: 0.97 },
  localStructure: { fail: 0.75, warn: 0.85 },
  colourDrift: { fail: 2, warn: 1 },
  metalTone: { fail: 1, warn: 0 },
  stones: { fail: 0, warn: 0 },
  settings: { fail: 0.9, warn: 0.95 },
  sharpness: { fail: 0.75, warn: 0.9 },
  halo: { fail: 20, warn: 10 },
  highlights: { fail: 2, warn: 0.5 },
  spill: { fail: 2, warn: 0.5 },
  alignment: { fail: 1, warn: 0.5 },
  contact: { fail: 3, warn: 8 },
};

export const TIER_THRESHOLDS: Readonly<Record<Tier, TierThresholds>> = {
  social: {
    ...LISTING,
    structure: { fail: 0.9, warn: 0.95 },
    localStructure: { fail: 0.65, warn: 0.8 },
    colourDrift: { fail: 3, warn: 2 },
    metalTone: { fail: 2, warn: 1 },
    settings: { fail: 0.85, warn: 0.9 },
    sharpness: { fail: 0.6, warn: 0.8 },
    halo: { fail: 30, warn: 20 },
    highlights: { fail: 5, warn: 2 },
  },
  listing: LISTING,
  editorial: {
    ...LISTING,
    structure: { fail: 0.97, warn: 0.98 },
    localStructure: { fail: 0.85, warn: 0.9 },
    colourDrift: { fail: 1, warn: 0.5 },
    metalTone: { fail: 0, warn: 0 },
    settings: { fail: 0.95, warn: 0.97 },
    sharpness: { fail: 0.9, warn: 0.95 },
    halo: { fail: 10, warn: 5 },
    highlights: { fail: 0.5, warn: 0.25 },
    spill: { fail: 0.5, warn: 0.25 },
    alignment: { fail: 0.5, warn: 0.25 },
    contact: { fail: 8, warn: 12 },
  },
};

export function isTier(v: string): v is Tier {
  return (TIERS as readonly string[]).includes(v);
}
