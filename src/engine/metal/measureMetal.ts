/**
 * What the metal looks like now: robust statistics over the metal pixels that carry colour.
 * Mirror-black and clipped pixels carry no chromaticity (spec §A.3), so only pixels with L* 35–95 and
 * no channel clipped count towards colour; clipping is reported separately.
 */
import { chroma, hueDeg, linearToLab } from '../color';
import type { Mask, RgbaImage } from '../image';
import { fullWindow, type PixelWindow } from '../maskWindow';
import { linearPixelReader, median, percentile, sampleStride } from './linearPixels';

export interface MetalMeasurement {
  /** Pixels where the metal mask is at least half on. */
  readonly pixels: number;
  /** Of those sampled, how many carried colour (unclipped, L* 35–95). */
  readonly qualifying: number;
  /** Median linear-light ratios of the qualifying pixels. */
  readonly gr: number;
  readonly br: number;
  /** Median Lab D50 (Photoshop's Lab) of the qualifying pixels, and its hue and C*÷L*. */
  readonly lab: readonly [number, number, number];
  readonly hue: number;
  readonly chromaPerLightness: number;
  /** Fraction of metal pixels with any channel ≥ 254 (spec §D.5 clip_frac). */
  readonly clippedFraction: number;
  /** 5th and 95th percentile L* over all sampled metal pixels (tonal range, spec §A.5 grey/dull). */
  readonly lightnessP5: number;
  readonly lightnessP95: number;
}

/**
 * `within`: a window holding every pixel of the mask (e.g. the piece's content bounds), so a 24 MP frame
 * is not walked where the mask is empty. Defaults to the whole frame.
 */
export function measureMetal(image: RgbaImage, metalMask: Mask, within?: PixelWindow): MetalMeasurement {
  const { table, data, clipCode } = linearPixelReader(image);
  const m = metalMask.data;
  const { x0, y0, x1, y1 } = within ?? fullWindow(image.width, image.height);
  const width = image.width;
  let pixels = 0;
  for (let y = y0; y < y1; y++) for (let i = y * width + x0, end = y * width + x1; i < end; i++) if (m[i] >= 128) pixels++;
  const stride = sampleStride(pixels);
  const cap = Math.ceil(pixels / stride) + 1;
  const gr = new Float64Array(cap), br = new Float64Array(cap);
  const L = new Float64Array(cap), A = new Float64Array(cap), B = new Float64Array(cap);
  const allL = new Float64Array(cap);
  const lab: [number, number, number] = [0, 0, 0];
  let seen = 0, q = 0, sampled = 0, clipped = 0;
  for (let y = y0; y < y1; y++) {
    for (let i = y * width + x0, end = y * width + x1; i < end; i++) {
      if (m[i] < 128) continue;
      const p = i * 4;
      const r8 = data[p], g8 = data[p + 1], b8 = data[p + 2];
      if (r8 >= clipCode || g8 >= clipCode || b8 >= clipCode) clipped++;
      if (seen++ % stride !== 0) continue;
      const r = table[r8], g = table[g8], b = table[b8];
      linearToLab(r, g, b, 'D50', lab);
      allL[sampled++] = lab[0];
      if (r8 >= clipCode || g8 >= clipCode || b8 >= clipCode || lab[0] < 35 || lab[0] > 95 || r <= 0) continue;
      gr[q] = g / r; br[q] = b / r; L[q] = lab[0]; A[q] = lab[1]; B[q] = lab[2]; q++;
    }
  }
  const sortedL = allL.slice(0, sampled).sort();
  const medLab: [number, number, number] = [median(L, q), median(A, q), median(B, q)];
  return {
    pixels,
    qualifying: q,
    gr: median(gr, q),
    br: median(br, q),
    lab: medLab,
    hue: hueDeg(medLab[1], medLab[2]),
    chromaPerLightness: chroma(medLab[1], medLab[2]) / medLab[0],
    clippedFraction: pixels ? clipped / pixels : 0,
    lightnessP5: percentile(sortedL, 5),
    lightnessP95: percentile(sortedL, 95),
  };
}

/** Lab D50 of a colour with the given linear ratios, at a mid lightness — to judge hue and C*÷L*. */
export function ratiosToLab(gr: number, br: number): [number, number, number] {
  const scale = 0.5 / (0.2126 + 0.7152 * gr + 0.0722 * br); // luminance 0.5: well inside 8-bit range
  return linearToLab(scale, gr * scale, br * scale, 'D50');
}
