/**
 * Resampling of planes, RGBA8 images and masks to a given size. Separable; each axis independently:
 * - shrinking (dst < src): area average (box filter) — every destination pixel is the mean of the
 *   source area it covers, with fractional weights at the edges for non-integer factors. A downscale
 *   by exactly 2 is the plain mean of each 2×2 block.
 * - enlarging (dst > src): bilinear interpolation with pixel centres aligned
 *   (x_src = (x_dst + 0.5)·src/dst − 0.5), clamped at the borders.
 * - equal size: copy.
 * Values are resampled as stored: RGBA8 is averaged in gamma-encoded sRGB (as Photoshop does), with
 * colour weighted by alpha (premultiplied), so transparent pixels do not bleed colour.
 */

import type { Mask, Rgba8Image } from './image';
import { createMask, createRgba8 } from './image';

interface AxisWeights {
  start: Int32Array; // length dst + 1, CSR offsets
  index: Int32Array;
  weight: Float64Array;
}

function axisWeights(src: number, dst: number): AxisWeights {
  const idx: number[] = [];
  const wts: number[] = [];
  const start = new Int32Array(dst + 1);
  if (dst === src) {
    for (let i = 0; i < dst; i++) { start[i] = i; idx.push(i); wts.push(1); }
  } else if (dst < src) {
    const scale = src / dst;
    for (let i = 0; i < dst; i++) {
      start[i] = idx.length;
      const a = i * scale, b = (i + 1) * scale;
      const j0 = Math.floor(a), j1 = Math.min(src, Math.ceil(b));
      for (let j = j0; j < j1; j++) {
        const ov = Math.min(b, j + 1) - Math.max(a, j);
        if (ov > 1e-12) { idx.push(j); wts.push(ov / scale); }
      }
    }
  } else {
    const scale = src / dst;
    for (let i = 0; i < dst; i++) {
      start[i] = idx.length;
      let p = (i + 0.5) * scale - 0.5;
      if (p < 0) p = 0;
      if (p > src - 1) p = src - 1;
      const j0 = Math.floor(p), f = p - j0;
      idx.push(j0); wts.push(1 - f);
      if (f > 0) { idx.push(j0 + 1); wts.push(f); }
    }
  }
  start[dst] = idx.length;
  return { start, index: Int32Array.from(idx), weight: Float64Array.from(wts) };
}

function checkSize(w: number, h: number, what: string): void {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) throw new Error(`invalid ${what} size ${w}×${h}`);
}

/** Core: resample an interleaved float image with `ch` channels. */
function resampleInterleaved(src: Float32Array, sw: number, sh: number, ch: number, dw: number, dh: number): Float32Array {
  const hx = axisWeights(sw, dw), hy = axisWeights(sh, dh);
  // Horizontal: sh rows × dw columns.
  const tmp = new Float32Array(dw * sh * ch);
  const srow = sw * ch, trow = dw * ch;
  for (let y = 0; y < sh; y++) {
    const so = y * srow, to = y * trow;
    for (let x = 0; x < dw; x++) {
      const e = hx.start[x + 1];
      for (let c = 0; c < ch; c++) {
        let s = 0;
        for (let k = hx.start[x]; k < e; k++) s += hx.weight[k] * src[so + hx.index[k] * ch + c];
        tmp[to + x * ch + c] = s;
      }
    }
  }
  // Vertical, row-vectorised.
  const out = new Float32Array(dw * dh * ch);
  const acc = new Float64Array(trow);
  for (let y = 0; y < dh; y++) {
    acc.fill(0);
    for (let k = hy.start[y]; k < hy.start[y + 1]; k++) {
      const w = hy.weight[k], o = hy.index[k] * trow;
      for (let i = 0; i < trow; i++) acc[i] += w * tmp[o + i];
    }
    out.set(acc, y * trow);
  }
  return out;
}

/** Resize a plane: area average on shrinking axes, bilinear on enlarging axes. */
export function resizePlane(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  checkSize(sw, sh, 'source');
  checkSize(dw, dh, 'destination');
  if (src.length !== sw * sh) throw new Error(`plane has ${src.length} values, expected ${sw}×${sh}`);
  return resampleInterleaved(src, sw, sh, 1, dw, dh);
}

/** Area-average downscale of a plane (dw ≤ sw, dh ≤ sh). */
export function downscalePlane(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  if (dw > sw || dh > sh) throw new Error(`downscale target ${dw}×${dh} is larger than ${sw}×${sh}`);
  return resizePlane(src, sw, sh, dw, dh);
}

/** Bilinear upscale of a plane (dw ≥ sw, dh ≥ sh). */
export function upscalePlane(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  if (dw < sw || dh < sh) throw new Error(`upscale target ${dw}×${dh} is smaller than ${sw}×${sh}`);
  return resizePlane(src, sw, sh, dw, dh);
}

/** Resize an RGBA8 image (alpha-weighted colour, rounded to the nearest code). */
export function resizeRgba8(image: Rgba8Image, dw: number, dh: number): Rgba8Image {
  checkSize(dw, dh, 'destination');
  const { width: sw, height: sh, data } = image;
  const n = sw * sh;
  const f = new Float32Array(n * 4);
  let opaque = true;
  for (let i = 0; i < n * 4; i += 4) {
    const a = data[i + 3];
    if (a !== 255) opaque = false;
    const k = a / 255;
    f[i] = data[i] * k; f[i + 1] = data[i + 1] * k; f[i + 2] = data[i + 2] * k; f[i + 3] = a;
  }
  const r = resampleInterleaved(f, sw, sh, 4, dw, dh);
  const out = new Uint8Array(dw * dh * 4);
  for (let i = 0; i < out.length; i += 4) {
    const a = r[i + 3];
    const k = opaque ? 1 : a > 0 ? 255 / a : 0;
    out[i] = clamp8(r[i] * k);
    out[i + 1] = clamp8(r[i + 1] * k);
    out[i + 2] = clamp8(r[i + 2] * k);
    out[i + 3] = clamp8(a);
  }
  return createRgba8(dw, dh, out);
}

/** Resize a mask (coverage averaged / interpolated, rounded). */
export function resizeMask(mask: Mask, dw: number, dh: number): Mask {
  checkSize(dw, dh, 'destination');
  const n = mask.width * mask.height;
  const f = new Float32Array(n);
  for (let i = 0; i < n; i++) f[i] = mask.data[i];
  const r = resampleInterleaved(f, mask.width, mask.height, 1, dw, dh);
  const out = new Uint8Array(dw * dh);
  for (let i = 0; i < out.length; i++) out[i] = clamp8(r[i]);
  return createMask(dw, dh, out);
}

export const downscaleRgba8 = resizeRgba8;
export const upscaleRgba8 = resizeRgba8;
export const downscaleMask = resizeMask;
export const upscaleMask = resizeMask;

function clamp8(v: number): number {
  const r = Math.round(v);
  return r <= 0 ? 0 : r >= 255 ? 255 : r;
}
