/**
 * Separable Gaussian blur of single-channel Float32Array planes (row-major, width × height), and mask
 * feathering. Borders are clamp-to-edge (the edge pixel is repeated), so a constant plane stays
 * constant and the total weight of every output pixel is 1.
 *
 * Methods
 * - 'exact': sampled Gaussian kernel exp(−k²/2σ²), radius ceil(3σ) unless given, normalised to sum 1,
 *   applied horizontally then vertically (float64 accumulation). Cost grows with σ.
 * - 'box': BOX_PASSES (4) passes per axis of an "extended box" filter (Gwosdek, Grewenig, Bruhn & Weickert,
 *   "Theoretical foundations of Gaussian convolution by extended box filtering", SSVM 2011): a box of
 *   integer radius r plus a fractional weight α on the two taps at r+1, with r and α chosen so each pass
 *   has variance exactly σ²/BOX_PASSES. The result has exactly the requested variance and a smooth, nearly
 *   Gaussian profile (piecewise polynomial; within about 3.5% of the true Gaussian's peak per axis), at a cost
 *   independent of σ.
 * - 'auto' (default): 'exact' for σ ≤ EXACT_SIGMA_MAX, 'box' above.
 */

import type { Mask } from './image';
import { createMask } from './image';

export type BlurMethod = 'auto' | 'exact' | 'box';

export interface BlurOptions {
  /** 'auto' (default), 'exact' or 'box'. */
  method?: BlurMethod;
  /** Kernel radius for 'exact' (default ceil(3σ)). */
  radius?: number;
}

/** Above this σ, 'auto' uses the extended-box approximation. */
export const EXACT_SIGMA_MAX = 3;

/**
 * Extended-box passes per axis for the 'box' method. Measured on a 1-D impulse: the largest deviation
 * from the true Gaussian is about 6% of the peak with 3 passes, 3.5% with 4, 3% with 5; the variance
 * is exact for any count.
 */
export const BOX_PASSES = 4;

/** Normalised 1-D Gaussian kernel of length 2·radius+1 (default radius ceil(3σ)). */
export function gaussianKernel(sigma: number, radius: number = Math.ceil(3 * sigma)): Float64Array {
  if (!(sigma > 0)) throw new Error(`Gaussian sigma must be > 0, got ${sigma}`);
  const r = Math.max(0, Math.floor(radius));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + r] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/**
 * Blur a plane. Returns `out` (allocated when not given; may not alias `src`).
 * sigma ≤ 0 copies the plane.
 */
export function gaussianBlur(
  src: Float32Array,
  width: number,
  height: number,
  sigma: number,
  out?: Float32Array,
  options: BlurOptions = {},
): Float32Array {
  const n = width * height;
  if (src.length !== n) throw new Error(`plane has ${src.length} values, expected ${width}×${height}`);
  const dst = out ?? new Float32Array(n);
  if (dst.length !== n) throw new Error(`output plane has ${dst.length} values, expected ${n}`);
  if (dst === src) throw new Error('gaussianBlur: out must not be the source plane');
  if (!(sigma > 0)) {
    dst.set(src);
    return dst;
  }
  const method = options.method ?? 'auto';
  if (method === 'exact' || (method === 'auto' && (sigma <= EXACT_SIGMA_MAX || options.radius !== undefined))) {
    const kernel = gaussianKernel(sigma, options.radius);
    const tmp = new Float32Array(n);
    convolveRows(src, tmp, width, height, kernel);
    convolveCols(tmp, dst, width, height, kernel);
  } else {
    boxGaussian(src, dst, width, height, sigma, BOX_PASSES);
  }
  return dst;
}

/** Blur with an explicit symmetric odd-length kernel (separable, same kernel on both axes). */
export function convolveSeparable(src: Float32Array, width: number, height: number, kernel: Float64Array, out?: Float32Array): Float32Array {
  if (kernel.length % 2 !== 1) throw new Error('kernel length must be odd');
  const n = width * height;
  const dst = out ?? new Float32Array(n);
  const tmp = new Float32Array(n);
  convolveRows(src, tmp, width, height, kernel);
  convolveCols(tmp, dst, width, height, kernel);
  return dst;
}

/**
 * Feather a mask: Gaussian blur of its 0..255 coverage, rounded back to bytes.
 */
export function blurMask(mask: Mask, sigma: number, options: BlurOptions = {}): Mask {
  const { width, height } = mask;
  const n = width * height;
  const plane = new Float32Array(n);
  const m = mask.data;
  for (let i = 0; i < n; i++) plane[i] = m[i];
  const blurred = gaussianBlur(plane, width, height, sigma, undefined, options);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = blurred[i] + 0.5;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : v | 0;
  }
  return createMask(width, height, out);
}

// ---------------------------------------------------------------------------------------------------
// Exact separable convolution (symmetric kernel, clamp-to-edge)

function convolveRows(src: Float32Array, dst: Float32Array, width: number, height: number, kernel: Float64Array): void {
  const r = (kernel.length - 1) >> 1;
  const pad = new Float32Array(width + 2 * r);
  const k0 = kernel[r];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const first = src[row], last = src[row + width - 1];
    for (let i = 0; i < r; i++) {
      pad[i] = first;
      pad[r + width + i] = last;
    }
    pad.set(src.subarray(row, row + width), r);
    for (let x = 0; x < width; x++) {
      const c = x + r;
      let s = k0 * pad[c];
      for (let k = 1; k <= r; k++) s += kernel[r + k] * (pad[c - k] + pad[c + k]);
      dst[row + x] = s;
    }
  }
}

function convolveCols(src: Float32Array, dst: Float32Array, width: number, height: number, kernel: Float64Array): void {
  const r = (kernel.length - 1) >> 1;
  const acc = new Float64Array(width);
  const k0 = kernel[r];
  const hm1 = height - 1;
  for (let y = 0; y < height; y++) {
    const c = y * width;
    for (let x = 0; x < width; x++) acc[x] = k0 * src[c + x];
    for (let k = 1; k <= r; k++) {
      const w = kernel[r + k];
      const up = (y - k < 0 ? 0 : y - k) * width;
      const dn = (y + k > hm1 ? hm1 : y + k) * width;
      for (let x = 0; x < width; x++) acc[x] += w * (src[up + x] + src[dn + x]);
    }
    for (let x = 0; x < width; x++) dst[c + x] = acc[x];
  }
}

// ---------------------------------------------------------------------------------------------------
// Extended box filter approximation

/** Radius r and end weight α of an extended box with variance s2 (see header). */
export function extendedBox(s2: number): { r: number; alpha: number } {
  // Largest r whose plain box (variance r(r+1)/3) does not exceed s2.
  let r = Math.floor((Math.sqrt(1 + 12 * s2) - 1) / 2);
  while ((r + 1) * (r + 2) / 3 <= s2) r++;
  while (r > 0 && (r * (r + 1)) / 3 > s2) r--;
  const n = 2 * r + 1;
  const A = (r * (r + 1) * n) / 3;
  const alpha = (s2 * n - A) / (2 * ((r + 1) * (r + 1) - s2));
  return { r, alpha };
}

function boxGaussian(src: Float32Array, dst: Float32Array, width: number, height: number, sigma: number, passes: number): void {
  const { r, alpha } = extendedBox((sigma * sigma) / passes);
  const norm = 1 / (2 * r + 1 + 2 * alpha);
  const tmp = new Float32Array(width * height);
  // 2·passes operations ping-pong between tmp and dst; the last one writes dst.
  const total = 2 * passes;
  let from: Float32Array = src;
  for (let i = 0; i < total; i++) {
    const to = (total - 1 - i) % 2 === 0 ? dst : tmp;
    if (i < passes) boxRows(from, to, width, height, r, alpha, norm);
    else boxCols(from, to, width, height, r, alpha, norm);
    from = to;
  }
}

function boxRows(src: Float32Array, dst: Float32Array, width: number, height: number, r: number, alpha: number, norm: number): void {
  const P = r + 1;
  const pad = new Float64Array(width + 2 * P);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const first = src[row], last = src[row + width - 1];
    for (let i = 0; i < P; i++) {
      pad[i] = first;
      pad[P + width + i] = last;
    }
    for (let x = 0; x < width; x++) pad[P + x] = src[row + x];
    // window for output x: pad[x+1 .. x+2r+1], ends pad[x] and pad[x+2r+2]
    let s = 0;
    for (let j = 1; j <= 2 * r + 1; j++) s += pad[j];
    const e = 2 * r + 2;
    for (let x = 0; x < width; x++) {
      dst[row + x] = (s + alpha * (pad[x] + pad[x + e])) * norm;
      s += pad[x + e] - pad[x + 1];
    }
  }
}

function boxCols(src: Float32Array, dst: Float32Array, width: number, height: number, r: number, alpha: number, norm: number): void {
  const hm1 = height - 1;
  const s = new Float64Array(width);
  const row = (y: number): number => (y < 0 ? 0 : y > hm1 ? hm1 : y) * width;
  for (let k = -r; k <= r; k++) {
    const o = row(k);
    for (let x = 0; x < width; x++) s[x] += src[o + x];
  }
  for (let y = 0; y < height; y++) {
    const top = row(y - r - 1), bot = row(y + r + 1), lead = row(y - r), c = y * width;
    for (let x = 0; x < width; x++) {
      const b = src[bot + x];
      dst[c + x] = (s[x] + alpha * (src[top + x] + b)) * norm;
      s[x] += b - src[lead + x];
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Feathering at reduced resolution

/** σ from which featherMask blurs on a coarser grid. */
export const COARSE_FEATHER_SIGMA = 4;

/**
 * Feather a mask like blurMask, faster for wide feathers: for σ ≥ COARSE_FEATHER_SIGMA the mask is
 * area-averaged onto a grid `factor` times coarser (σ/factor ≥ 2 there), blurred, and bilinearly resampled
 * back. A feather that wide has no detail finer than the coarse grid, so the result stays within a few
 * code values of the full-resolution blur (tested) at a fraction of the work.
 * `only`: when given (same size), pixels where it is 0 are left 0 — for callers that multiply by it anyway.
 */
export function featherMask(mask: Mask, sigma: number, only?: Mask): Mask {
  // Measured against the exact blur on discs and speckles: max 2 code values at σ 8 on a 4× grid, 9 at σ 4 on 3×.
  const factor = sigma >= 2 * COARSE_FEATHER_SIGMA ? 4 : sigma >= COARSE_FEATHER_SIGMA ? 3 : 1;
  const { width, height, data } = mask;
  if (factor === 1) {
    const fine = blurMask(mask, sigma);
    if (only) for (let i = 0; i < fine.data.length; i++) if (only.data[i] === 0) fine.data[i] = 0;
    return fine;
  }
  const cw = Math.ceil(width / factor), ch = Math.ceil(height / factor);
  const cellOfX = new Int32Array(width);
  for (let x = 0; x < width; x++) cellOfX[x] = (x / factor) | 0;
  // Area average of each factor×factor cell (partial cells at the right and bottom average what they hold).
  const coarse = new Float32Array(cw * ch);
  for (let y = 0; y < height; y++) {
    const crow = ((y / factor) | 0) * cw, row = y * width;
    for (let x = 0; x < width; x++) {
      const v = data[row + x];
      if (v !== 0) coarse[crow + cellOfX[x]] += v;
    }
  }
  for (let cy = 0; cy < ch; cy++) {
    const rows = Math.min(factor, height - cy * factor);
    for (let cx = 0; cx < cw; cx++) coarse[cy * cw + cx] /= rows * Math.min(factor, width - cx * factor);
  }
  // The cell average (a box, variance (f²−1)/12) and the bilinear resampling (a tent, about f²/6) blur too:
  // take their variance off the Gaussian's so the total spread matches σ.
  const fineVariance = sigma * sigma - (factor * factor - 1) / 12 - (factor * factor) / 6;
  const blurred = gaussianBlur(coarse, cw, ch, Math.sqrt(fineVariance) / factor);
  // Bilinear back onto the fine grid, coarse cell centres at ((c + 0.5)·factor − 0.5) — only around the
  // cells that round to a non-zero value (interpolating between values under ½ stays under ½).
  const out = new Uint8Array(width * height);
  let cx0 = cw, cy0 = ch, cx1 = -1, cy1 = -1;
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      if (blurred[cy * cw + cx] < 0.5) continue;
      if (cx < cx0) cx0 = cx;
      if (cx > cx1) cx1 = cx;
      if (cy < cy0) cy0 = cy;
      cy1 = cy;
    }
  }
  if (cx1 < 0) return createMask(width, height, out);
  const fx0 = Math.max(0, (cx0 - 1) * factor), fx1 = Math.min(width, (cx1 + 2) * factor);
  const fy0 = Math.max(0, (cy0 - 1) * factor), fy1 = Math.min(height, (cy1 + 2) * factor);
  const ax = bilinearAxis(width, cw, factor), ay = bilinearAxis(height, ch, factor);
  const keep = only?.data;
  for (let y = fy0; y < fy1; y++) {
    const r0 = ay.lower[y] * cw, r1 = ay.upper[y] * cw, wy = ay.weight[y], row = y * width;
    for (let x = fx0; x < fx1; x++) {
      if (keep !== undefined && keep[row + x] === 0) continue;
      const c0 = ax.lower[x], c1 = ax.upper[x], wx = ax.weight[x];
      const top = blurred[r0 + c0] + (blurred[r0 + c1] - blurred[r0 + c0]) * wx;
      const bot = blurred[r1 + c0] + (blurred[r1 + c1] - blurred[r1 + c0]) * wx;
      const v = top + (bot - top) * wy + 0.5;
      out[row + x] = v <= 0 ? 0 : v >= 255 ? 255 : v | 0;
    }
  }
  return createMask(width, height, out);
}

/** For each fine index: the two coarse samples around it and the weight of the upper one (edges clamp). */
function bilinearAxis(n: number, coarseN: number, factor: number) {
  const lower = new Int32Array(n), upper = new Int32Array(n), weight = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.min(coarseN - 1, Math.max(0, (i + 0.5) / factor - 0.5));
    const lo = Math.floor(u);
    lower[i] = lo;
    upper[i] = Math.min(coarseN - 1, lo + 1);
    weight[i] = u - lo;
  }
  return { lower, upper, weight };
}

/**
 * A 1 px feather (σ = 1) in integer arithmetic: the 5-tap binomial kernel [1 4 6 4 1]/16 per axis has
 * variance exactly 1 and is the closest small integer kernel to that Gaussian; clamp-to-edge borders.
 * Used for the layer masks' anti-stairstep softening, which runs over millions of pixels.
 */
export function featherMask1px(mask: Mask): Mask {
  const { width: w, height: h, data } = mask;
  const rows = new Uint16Array(w * h); // ≤ 255·16
  const cx = (x: number) => (x < 0 ? 0 : x >= w ? w - 1 : x);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      if (x >= 2 && x < w - 2) {
        rows[o + x] = data[o + x - 2] + 4 * data[o + x - 1] + 6 * data[o + x] + 4 * data[o + x + 1] + data[o + x + 2];
      } else {
        rows[o + x] = data[o + cx(x - 2)] + 4 * data[o + cx(x - 1)] + 6 * data[o + x] + 4 * data[o + cx(x + 1)] + data[o + cx(x + 2)];
      }
    }
  }
  const out = new Uint8Array(w * h);
  const ry = (y: number) => (y < 0 ? 0 : y >= h ? h - 1 : y) * w;
  for (let y = 0; y < h; y++) {
    const a = ry(y - 2), b = ry(y - 1), c = y * w, d = ry(y + 1), e = ry(y + 2);
    for (let x = 0; x < w; x++) {
      // Sum ≤ 255·256; +128 rounds the division by 256.
      out[c + x] = (rows[a + x] + 4 * rows[b + x] + 6 * rows[c + x] + 4 * rows[d + x] + rows[e + x] + 128) >> 8;
    }
  }
  return createMask(w, h, out);
}
