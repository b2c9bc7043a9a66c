/**
 * What Loupe's mask model says the metal is (white metal or gold), used only where the metal's own colour
 * would otherwise decide alone: no neutral backdrop in view (skin, fabric, a coloured sweep). There a warm
 * light makes white gold look rose or yellow by colour, and nothing in the colour can tell the two apart; the
 * model sees the piece with its surroundings (the skin, the highlights, the light on everything) and can.
 *
 * Only a near-sure reading counts, and only between white metal and gold: the model tells white from gold
 * far better than rose gold from yellow (models/jewelry-mask.md: no rose gold named right), so which gold it
 * is stays the colour's call. The bar is set from `scripts/eval-metal-family.ts` (24 synthetic scenes, each
 * under a cast and neutral, 15 real photos, 2 samples): the most the model ever gave the wrong side was 0.85 (a
 * silver chain under a brassy cast on blown white, read as gold), so the bar stands clear of it at 0.95; the
 * white metals above it there are the warm-lit white gold on skin (0.98 under its cast, 0.96 neutral) and a
 * silver pair (0.99). No gold reaches it yet (at most 0.92), so for now it only ever says "white metal".
 */
import { METALS, type MetalFamily, type MetalSpec } from './metalCatalog';

/** The model's probabilities of the three families (they sum to 1). */
export type FamilyProbabilities = Readonly<Record<MetalFamily, number>>;

/** How sure the model must be before its reading overrides the colour-only guess. */
export const MODEL_FAMILY_CONFIDENCE = 0.95;

export interface ModelFamilyReading {
  readonly family: 'white-metal' | 'gold';
  readonly probability: number;
}

/** The model's reading when it is near sure of white metal or of gold (yellow and rose together), else null. */
export function confidentFamily(probabilities: FamilyProbabilities | undefined): ModelFamilyReading | null {
  if (!probabilities) return null;
  const white = probabilities['white-metal'], gold = probabilities['yellow-gold'] + probabilities['rose-gold'];
  if (white >= MODEL_FAMILY_CONFIDENCE) return { family: 'white-metal', probability: white };
  if (gold >= MODEL_FAMILY_CONFIDENCE) return { family: 'gold', probability: gold };
  return null;
}

/** The metals auto-detection chooses among, given the model's reading (all three families without one). */
export function candidateMetals(reading: ModelFamilyReading | null): MetalSpec[] {
  if (reading?.family === 'white-metal') return [METALS['white-gold']];
  if (reading?.family === 'gold') return [METALS['yellow-gold'], METALS['rose-gold']];
  return [METALS['yellow-gold'], METALS['rose-gold'], METALS['white-gold']];
}

/** In the retoucher's words, e.g. "white metal (98 % sure)". */
export function describeReading(reading: ModelFamilyReading): string {
  return `${reading.family === 'white-metal' ? 'white metal' : 'gold'} (${Math.round(100 * reading.probability)} % sure)`;
}
