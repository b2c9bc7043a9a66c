/**
 * How far the photo's white balance is off, seen on the metal, and which metal it is.
 *
 * Two witnesses:
 * - a neutral backdrop (white/grey sweep): its pixels should have equal R, G, B in linear light, so
 *   their ratios give the cast exactly — when the backdrop really is neutral and not clipped;
 * - the metal itself: polished metal mirrors a (mostly neutral) studio, so its chromaticity is its F0
 *   (spec §A.0). Knowing the metal, F0 ÷ observed gives the cast.
 * The backdrop is trusted only when the metal, corrected by it, looks like a real metal; otherwise the
 * backdrop is coloured (skin, fabric) and the metal's own colour decides.
 */
import type { Mask, RgbaImage } from '../image';
import { linearPixelReader, median, sampleStride } from './linearPixels';
import { METALS, targetRatios, type MetalId, type MetalSpec } from './metalCatalog';
import { ratiosToLab, type MetalMeasurement } from './measureMetal';
import type { ChromaticityPeak } from './chromaticityPeaks';
import { chroma, hueDeg } from '../color';
import { candidateMetals, describeReading, type ModelFamilyReading } from './modelFamilyReading';

export type CastSource = 'backdrop' | 'metal';

export interface CastEstimate {
  /** Linear-light channel gains that remove the cast, normalised to keep the metal's luminance. */
  readonly gains: readonly [number, number, number];
  readonly source: CastSource;
  readonly metal: MetalSpec;
  /** True when the metal was recognised here rather than given by the retoucher. */
  readonly autoDetected: boolean;
  /** Plain-language notes for the retoucher (what was assumed, what to check). */
  readonly notes: readonly string[];
}

export interface BackdropNeutral {
  readonly gr: number;
  readonly br: number;
  readonly samples: number;
  /** C*÷L* of the backdrop as photographed; large values mean a coloured surface or a strong cast. */
  readonly chromaPerLightness: number;
}

/** Median linear ratios of unclipped backdrop pixels well away from the piece, or null if too few. */
export function measureBackdrop(image: RgbaImage, jewelryMask: Mask): BackdropNeutral | null {
  const { width, height } = image;
  const { table, data, maxCode } = linearPixelReader(image);
  const m = jewelryMask.data;
  const margin = Math.max(3, Math.round(Math.min(width, height) * 0.01));
  const stride = sampleStride(width * height, 200_000);
  const hi = maxCode * (245 / 255), lo = maxCode * (12 / 255);
  const gr: number[] = [], br: number[] = [];
  for (let i = 0; i < m.length; i += stride) {
    if (m[i] !== 0) continue;
    const x = i % width, y = (i / width) | 0;
    if (m[y * width + Math.max(0, x - margin)] || m[y * width + Math.min(width - 1, x + margin)] ||
        m[Math.max(0, y - margin) * width + x] || m[Math.min(height - 1, y + margin) * width + x]) continue;
    const p = i * 4;
    const r8 = data[p], g8 = data[p + 1], b8 = data[p + 2];
    if (r8 >= hi || g8 >= hi || b8 >= hi || r8 <= lo || g8 <= lo || b8 <= lo) continue;
    const r = table[r8];
    gr.push(table[g8] / r);
    br.push(table[b8] / r);
  }
  const minSamples = Math.max(300, Math.round((width * height) / stride / 500));
  if (gr.length < minSamples) return null;
  const g = median(gr), b = median(br);
  const lab = ratiosToLab(g, b);
  return { gr: g, br: b, samples: gr.length, chromaPerLightness: chroma(lab[1], lab[2]) / lab[0] };
}

/** Could a real polished metal have these linear ratios? (All metals: B/R ≤ G/R ≤ 1, spec §A.2.) */
export function isPlausibleMetal(gr: number, br: number): boolean {
  return gr >= 0.6 && gr <= 1.03 && br >= 0.3 && br <= 1.03 && br <= gr + 0.03;
}

/** The metal a neutral-balanced chromaticity belongs to (family level; white metals default to white gold). */
export function classifyMetal(gr: number, br: number): MetalSpec {
  const [L, a, b] = ratiosToLab(gr, br);
  const cl = chroma(a, b) / L;
  if (cl < 0.15) return METALS['white-gold'];
  return hueDeg(a, b) < 68 ? METALS['rose-gold'] : METALS['yellow-gold'];
}

/** Is this (already neutral-balanced) chromaticity inside the metal's acceptance window (spec §A.3)? */
export function isInsideWindow(metal: MetalSpec, gr: number, br: number): boolean {
  const [L, a, b] = ratiosToLab(gr, br);
  const cl = chroma(a, b) / L;
  const [clMin, clMax] = metal.chromaPerLightness;
  if (cl < clMin || cl > clMax) return false;
  if (metal.hueWindow) {
    const h = hueDeg(a, b);
    return h >= metal.hueWindow[0] && h <= metal.hueWindow[1];
  }
  return metal.bWindow ? b >= metal.bWindow[0] && b <= metal.bWindow[1] : true;
}

export function estimateCast(
  metal: MetalMeasurement,
  backdrop: BackdropNeutral | null,
  requested: MetalId | 'auto',
  /** The mask model's near-sure reading of white metal or gold (see modelFamilyReading.ts), if any. */
  modelReading: ModelFamilyReading | null = null,
): CastEstimate {
  if (!(metal.qualifying > 0)) {
    throw new Error('the metal has no pixels with usable colour (all clipped or near black): check the mask, or lower the exposure in Camera Raw first');
  }
  const notes: string[] = [];
  let neutralGr = metal.gr, neutralBr = metal.br, source: CastSource = 'metal';
  let backdropGains: [number, number, number] | null = null;
  if (backdrop && backdrop.chromaPerLightness <= 0.35) {
    const gr = metal.gr / backdrop.gr, br = metal.br / backdrop.br;
    if (isPlausibleMetal(gr, br)) {
      neutralGr = gr; neutralBr = br; source = 'backdrop';
      backdropGains = [1, 1 / backdrop.gr, 1 / backdrop.br];
    } else {
      notes.push('The backdrop is not a neutral reference here (balancing on it would not give a real metal colour); the metal was balanced on its own colour.');
    }
  } else {
    notes.push(backdrop
      ? 'The backdrop is coloured (skin, fabric or a strong cast), so the metal was balanced on its own colour.'
      : 'No unclipped neutral backdrop to measure the cast on; the metal was balanced on its own colour.');
  }

  const autoDetected = requested === 'auto';
  let spec: MetalSpec;
  if (!autoDetected) spec = METALS[requested];
  else if (source === 'backdrop') spec = classifyMetal(neutralGr, neutralBr);
  else if (modelReading) {
    spec = closestMetal(metal.gr, metal.br, candidateMetals(modelReading));
    const byColour = closestMetal(metal.gr, metal.br);
    notes.push(byColour.family === spec.family
      ? `Identified as ${inSentence(spec.label)} from the metal's own colour, as Loupe's mask model also read it: ${describeReading(modelReading)}.`
      : `Identified as ${inSentence(spec.label)}: by its colour alone it looks like ${inSentence(byColour.label)}, but Loupe's mask model, which sees the piece with its surroundings, reads ${describeReading(modelReading)} — ${spec.family === 'white-metal' ? 'a warm light makes white metal look gold' : 'a cool light makes gold look white'}. If that is wrong, choose the metal yourself (--metal).`);
  } else {
    spec = closestMetal(metal.gr, metal.br);
    notes.push(`Identified as ${inSentence(spec.label)} from the metal's own colour only: if that is wrong, choose the metal yourself (--metal).`);
  }
  if (spec.family === 'white-metal' && autoDetected) {
    notes.push('White gold, silver and platinum look alike in a photo; the tone target is white gold unless you choose the metal.');
  }

  let gains: [number, number, number];
  if (backdropGains && isInsideWindow(spec, neutralGr, neutralBr)) {
    gains = backdropGains;
  } else {
    const t = targetRatios(spec);
    gains = [1, t.gr / metal.gr, t.br / metal.br];
    if (backdropGains) {
      source = 'metal';
      notes.push(`Balanced on the backdrop the metal would still sit outside the ${inSentence(spec.label)} window, so it was set to the metal's reference colour.`);
    }
  }
  return { gains: keepLuminance(gains, metal.gr, metal.br), source, metal: spec, autoDetected, notes };
}

/**
 * Which of the piece's colour peaks is the metal. Seen through the neutral backdrop (when there is one)
 * a metal peak must be a plausible metal; among plausible ones the metal asked for wins, else a gold
 * peak wins over a white one (diamonds look like white metal, and gold set with diamonds is common),
 * else the largest. Without a neutral reference the peak needing the smallest correction wins (to a metal
 * of the family the mask model is near sure of, when it is).
 */
export function chooseMetalPeak(
  peaks: readonly ChromaticityPeak[],
  backdrop: BackdropNeutral | null,
  requested: MetalId | 'auto',
  modelReading: ModelFamilyReading | null = null,
): ChromaticityPeak | null {
  if (peaks.length === 0) return null;
  const neutral = backdrop && backdrop.chromaPerLightness <= 0.35 ? backdrop : null;
  if (neutral) {
    const plausible = peaks.filter((p) => isPlausibleMetal(p.gr / neutral.gr, p.br / neutral.br));
    if (plausible.length > 0) {
      if (requested !== 'auto') {
        const t = targetRatios(METALS[requested]);
        return minBy(plausible, (p) => Math.hypot(Math.log(t.gr * neutral.gr / p.gr), Math.log(t.br * neutral.br / p.br)));
      }
      const golds = plausible.filter((p) => classifyMetal(p.gr / neutral.gr, p.br / neutral.br).family !== 'white-metal');
      return (golds.length > 0 ? golds : plausible)[0];
    }
  }
  const candidates = requested === 'auto' ? candidateMetals(modelReading) : [METALS[requested]];
  return minBy(peaks, (p) => Math.min(...candidates.map((spec) => correctionSize(spec, p.gr, p.br))));
}

/** A metal's label inside a sentence: "White gold" → "white gold"; "18K rose gold" keeps its capital K. */
function inSentence(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

function minBy<T>(items: readonly T[], cost: (item: T) => number): T {
  let best = items[0], bestCost = Infinity;
  for (const item of items) {
    const c = cost(item);
    if (c < bestCost) { bestCost = c; best = item; }
  }
  return best;
}

function correctionSize(spec: MetalSpec, gr: number, br: number): number {
  const t = targetRatios(spec);
  return Math.hypot(Math.log(t.gr / gr), Math.log(t.br / br));
}

/** The metal needing the smallest correction (log-gain distance) — a guess when nothing neutral is in view. */
function closestMetal(gr: number, br: number, candidates = candidateMetals(null)): MetalSpec {
  return minBy(candidates, (spec) => correctionSize(spec, gr, br));
}

/** Scale the gains so the metal's typical colour keeps its luminance: tone is fixed, lightness is not touched. */
function keepLuminance(g: [number, number, number], gr: number, br: number): [number, number, number] {
  const before = 0.2126 + 0.7152 * gr + 0.0722 * br;
  const after = 0.2126 * g[0] + 0.7152 * gr * g[1] + 0.0722 * br * g[2];
  const k = before / after;
  return [g[0] * k, g[1] * k, g[2] * k];
}
