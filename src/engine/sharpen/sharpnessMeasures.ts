/**
 * Sharpness measures of spec §D.4, on Rec.601 luma of 8-bit images, over a region given as a mask.
 * Used as ratios (after / before), never as absolutes.
 */
import type { Mask, Rgba8Image } from '../image';

function luma(d: Uint8Array, i: number): number {
  return 0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2];
}

/** Variance of the 3×3 (4-neighbour) Laplacian over pixels where `region` ≥ 128 (the frame's outer pixels skipped). */
export function laplacianVariance(image: Rgba8Image, region: Mask): number {
  const { width: W, height: H, data } = image;
  let s = 0, s2 = 0, n = 0;
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      if (region.data[i] < 128) continue;
      const v = luma(data, i - 1) + luma(data, i + 1) + luma(data, i - W) + luma(data, i + W) - 4 * luma(data, i);
      s += v; s2 += v * v; n++;
    }
  }
  if (n === 0) return Number.NaN;
  const mean = s / n;
  return s2 / n - mean * mean;
}

/**
 * Halo (spec §D.6): how far the result overshoots the original's local range (3×3) at pixels where
 * `edges` ≥ 128, in code values; the largest overshoot found.
 */
export function edgeOvershoot(before: Rgba8Image, after: Rgba8Image, edges: Mask): number {
  const { width: W, height: H } = before;
  let worst = 0;
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      if (edges.data[i] < 128) continue;
      let lo = 255, hi = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const v = luma(before.data, i + dy * W + dx);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const v = luma(after.data, i);
      worst = Math.max(worst, v - hi, lo - v);
    }
  }
  return worst;
}
