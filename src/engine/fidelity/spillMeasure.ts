/**
 * Background spill into the piece (spec §E.8, §E.9): a new background composited with a soft or grown
 * mask bleeds its colour into the piece's edge. Only where the background next to the piece changed. Just inside the edge (2–4 px in, past the antialiased
 * rim) each pixel's change is projected onto the direction "towards the result's background"; a pixel
 * that moved ≥ 25 % of the way there (and by ≥ 6 codes) is spill. Changes are taken against the original
 * passed through the result's own per-channel curves, and the same fraction measured deeper inside the
 * piece is subtracted, so a whole-piece colour correction that leans towards the backdrop's colour is not
 * mistaken for spill.
 */
import type { Rgba8Image } from '../image';
import type { FidelityFrame } from './fidelityFrame';
import { curvesAt, type RegionCurves } from './channelToneMap';

export interface SpillMeasure {
  /** Fraction (0..1) of edge-ring pixels pulled towards the background, minus the same deep inside. */
  readonly spillFraction: number;
  readonly ringFraction: number;
  readonly interiorFraction: number;
  /** Crop box around the densest spill, when there is any. */
  readonly box: { x: number; y: number; width: number; height: number } | null;
}

export function measureSpill(f: FidelityFrame, original: Rgba8Image, result: Rgba8Image, curves: RegionCurves): SpillMeasure {
  const { w, h, win, insideDistance } = f;
  const W = original.width;
  // The result's background next to the piece, per pixel: the mean result colour of the surface 3–8 px
  // outside the edge within a 9 px neighbourhood (backdrops vary across a frame).
  const bg = localBackground(f, result);
  const bgBefore = localBackground(f, original);
  let ringN = 0, ringHit = 0, inN = 0, inHit = 0;
  let sx = 0, sy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = y * w + x;
      const d = insideDistance[c];
      const ring = d >= 2 && d <= 4;
      const deep = d >= 6;
      if (!ring && !deep) continue;
      const i = ((win.y0 + y) * W + win.x0 + x) * 4;
      const bi = ring ? c * 3 : bg.length - 3;
      const bx = bg[bi], by = bg[bi + 1], bz = bg[bi + 2];
      if (Number.isNaN(bx)) continue;
      // Spill needs a new background: where the surface next to the piece is as it was, a move towards
      // its colour is a colour edit (the colour checks judge those), not spill.
      if ((bx - bgBefore[bi]) ** 2 + (by - bgBefore[bi + 1]) ** 2 + (bz - bgBefore[bi + 2]) ** 2 < 8 * 8) continue;
      const o = original.data;
      // Where the piece already looks like the backdrop, spill is invisible: not counted either way.
      if ((bx - o[i]) ** 2 + (by - o[i + 1]) ** 2 + (bz - o[i + 2]) ** 2 < 20 * 20) continue;
      // Spill moves a pixel towards the background both from the original and from the original passed
      // through the result's own curves (a global correction, or a feathered one at the rim, is not spill).
      const hit = pulled(o[i], o[i + 1], o[i + 2], result, i, bx, by, bz) &&
        pulled(...predicted(curvesAt(curves, i / 4), original, i), result, i, bx, by, bz) ? 1 : 0;
      if (ring) { ringN++; ringHit += hit; if (hit) { sx += x; sy += y; } } else { inN++; inHit += hit; }
    }
  }
  const ringFraction = ringN ? ringHit / ringN : 0;
  const interiorFraction = inN ? inHit / inN : 0;
  const spillFraction = Math.max(0, ringFraction - interiorFraction);
  const box = ringHit > 0
    ? (() => {
      const cx = sx / ringHit, cy = sy / ringHit, half = Math.max(16, Math.round(0.05 * Math.max(w, h)));
      return { x: Math.max(0, Math.round(cx - half)), y: Math.max(0, Math.round(cy - half)), width: Math.min(2 * half, w), height: Math.min(2 * half, h) };
    })()
    : null;
  return { spillFraction, ringFraction, interiorFraction, box };
}

/**
 * Per crop pixel near the edge: mean result colour of surface pixels 3–8 px outside the piece within a
 * 9 px radius (NaN when none). The last triple holds the mean over all such surface pixels, used for the
 * deep interior.
 */
function localBackground(f: FidelityFrame, image: Rgba8Image): Float32Array {
  const { w, h, win, outsideDistance, insideDistance } = f;
  const W = image.width;
  // Box sums of surface colour over a coarse grid of 8 px cells, then read the 3×3 cells around a pixel.
  const cell = 8;
  const cw = Math.ceil(w / cell), ch = Math.ceil(h / cell);
  const sum = new Float64Array(cw * ch * 3), cnt = new Float64Array(cw * ch);
  let t0 = 0, t1 = 0, t2 = 0, tn = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = y * w + x;
      const d = outsideDistance[c];
      if (!(d >= 3 && d <= 8)) continue;
      const i = ((win.y0 + y) * W + win.x0 + x) * 4;
      const k = Math.floor(y / cell) * cw + Math.floor(x / cell);
      sum[k * 3] += image.data[i]; sum[k * 3 + 1] += image.data[i + 1]; sum[k * 3 + 2] += image.data[i + 2]; cnt[k]++;
      t0 += image.data[i]; t1 += image.data[i + 1]; t2 += image.data[i + 2]; tn++;
    }
  }
  const out = new Float32Array(w * h * 3 + 3).fill(Number.NaN);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = y * w + x;
      const d = insideDistance[c];
      if (!(d >= 2 && d <= 4)) continue;
      const gx = Math.floor(x / cell), gy = Math.floor(y / cell);
      let s0 = 0, s1 = 0, s2 = 0, n = 0;
      for (let yy = Math.max(0, gy - 1); yy <= Math.min(ch - 1, gy + 1); yy++) {
        for (let xx = Math.max(0, gx - 1); xx <= Math.min(cw - 1, gx + 1); xx++) {
          const k = yy * cw + xx;
          s0 += sum[k * 3]; s1 += sum[k * 3 + 1]; s2 += sum[k * 3 + 2]; n += cnt[k];
        }
      }
      if (n > 0) { out[c * 3] = s0 / n; out[c * 3 + 1] = s1 / n; out[c * 3 + 2] = s2 / n; }
    }
  }
  if (tn > 0) { out[w * h * 3] = t0 / tn; out[w * h * 3 + 1] = t1 / tn; out[w * h * 3 + 2] = t2 / tn; }
  return out;
}

function predicted(cv: readonly [Float32Array, Float32Array, Float32Array], original: Rgba8Image, i: number): [number, number, number] {
  return [cv[0][original.data[i]], cv[1][original.data[i + 1]], cv[2][original.data[i + 2]]];
}

/** Did result pixel i move ≥ 25 % of the way from (o0,o1,o2) towards the background, by ≥ 6 codes? */
function pulled(o0: number, o1: number, o2: number, result: Rgba8Image, i: number, bx: number, by: number, bz: number): boolean {
  const t0 = bx - o0, t1 = by - o1, t2 = bz - o2;
  const tt = t0 * t0 + t1 * t1 + t2 * t2;
  if (tt < 1) return false;
  const d0 = result.data[i] - o0, d1 = result.data[i + 1] - o1, d2 = result.data[i + 2] - o2;
  if (d0 * d0 + d1 * d1 + d2 * d2 < 36) return false;
  return (d0 * t0 + d1 * t1 + d2 * t2) / tt >= 0.25;
}
