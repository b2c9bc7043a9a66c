/**
 * The distinct colours inside the piece: peaks of a 2-D histogram of linear chromaticity
 * (log G/R, log B/R). A gold ring with a sapphire shows two peaks; the metal is one of them, and a
 * median over the whole piece would land on whichever has more pixels — often the stones in pavé.
 */
import type { Mask, RgbaImage } from '../image';
import { fullWindow, type PixelWindow } from '../maskWindow';
import { linearPixelReader, sampleStride } from './linearPixels';

export interface ChromaticityPeak {
  readonly gr: number;
  readonly br: number;
  /** Sampled pixels in the peak's neighbourhood. */
  readonly count: number;
}

const BIN = 0.04, LO = -2.6, BINS = 100; // log ratio range −2.6..1.4 covers any real cast on any metal or stone

/** `within`: a window holding the whole piece (default: the whole frame). */
export function chromaticityPeaks(image: RgbaImage, jewelryMask: Mask, maxPeaks = 5, within?: PixelWindow): ChromaticityPeak[] {
  const { table, data, maxCode } = linearPixelReader(image);
  const m = jewelryMask.data;
  const { x0, y0, x1, y1 } = within ?? fullWindow(image.width, image.height);
  const width = image.width;
  const clip = maxCode * (250 / 255), dark = maxCode * (40 / 255);
  const hist = new Float64Array(BINS * BINS);
  const sumG = new Float64Array(BINS * BINS), sumB = new Float64Array(BINS * BINS);
  let inside = 0;
  for (let y = y0; y < y1; y++) for (let i = y * width + x0, end = y * width + x1; i < end; i++) if (m[i] >= 128) inside++;
  const stride = sampleStride(inside, 400_000);
  let seen = 0;
  for (let y = y0; y < y1; y++) {
    for (let i = y * width + x0, end = y * width + x1; i < end; i++) {
      if (m[i] < 128 || seen++ % stride !== 0) continue;
      const p = i * 4, r8 = data[p], g8 = data[p + 1], b8 = data[p + 2];
      const hi = Math.max(r8, g8, b8);
      if (hi >= clip || hi <= dark || r8 === 0) continue;
      const r = table[r8];
      const lg = Math.log(table[g8] / r), lb = Math.log(Math.max(table[b8], 1e-5) / r);
      const x = Math.floor((lg - LO) / BIN), yb = Math.floor((lb - LO) / BIN);
      if (x < 0 || yb < 0 || x >= BINS || yb >= BINS) continue;
      const k = yb * BINS + x;
      hist[k]++; sumG[k] += lg; sumB[k] += lb;
    }
  }
  // 3×3 smoothing, then local maxima.
  const smooth = new Float64Array(BINS * BINS);
  for (let y = 1; y < BINS - 1; y++) {
    for (let x = 1; x < BINS - 1; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += hist[(y + dy) * BINS + x + dx];
      smooth[y * BINS + x] = s;
    }
  }
  let top = 0;
  for (const v of smooth) if (v > top) top = v;
  if (top === 0) return [];
  const peaks: ChromaticityPeak[] = [];
  for (let y = 1; y < BINS - 1; y++) {
    for (let x = 1; x < BINS - 1; x++) {
      const v = smooth[y * BINS + x];
      if (v < 0.15 * top) continue;
      let isMax = true;
      for (let dy = -2; dy <= 2 && isMax; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const yy = y + dy, xx = x + dx;
          if ((dx || dy) && yy >= 0 && xx >= 0 && yy < BINS && xx < BINS && smooth[yy * BINS + xx] > v) { isMax = false; break; }
        }
      }
      if (!isMax) continue;
      let n = 0, g = 0, b = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const k = (y + dy) * BINS + x + dx;
        n += hist[k]; g += sumG[k]; b += sumB[k];
      }
      peaks.push({ gr: Math.exp(g / n), br: Math.exp(b / n), count: n });
    }
  }
  // Plateaus yield neighbouring twins: keep the larger of any two peaks closer than two bins.
  const distinct: ChromaticityPeak[] = [];
  for (const p of peaks.sort((a, b) => b.count - a.count)) {
    if (distinct.every((q) => Math.hypot(Math.log(p.gr / q.gr), Math.log(p.br / q.br)) > 2 * BIN)) distinct.push(p);
  }
  return distinct.slice(0, maxPeaks);
}
