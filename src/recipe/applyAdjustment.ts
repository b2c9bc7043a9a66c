/**
 * Adjustment-layer maths on RGB pixels, as Photoshop computes it in an RGB document.
 *
 * Kernels work on interleaved RGBA Float32 rows holding code values on the 0..255 scale (integers in the
 * 8-bit pipeline, fractional for 16-bit sources); alpha is never touched. `quantize` rounds every output
 * to an integer code value, which is what an 8-bit Photoshop document stores after each adjustment.
 * Per-channel work goes through lookup tables (curves: 256 entries in 8-bit, 65536 for 16-bit sources).
 */
import type {
  Adjustment,
  ChannelMixerAdjustment,
  ColorBalanceAdjustment,
  CurvesAdjustment,
  HueSaturationAdjustment,
} from './recipe';
import type { Rgba8Image } from '../engine/image';
import { createRgba8 } from '../engine/image';
import { curveEvaluator } from './photoshopCurves';

export interface AdjustmentKernel {
  /**
   * Adjust pixels [from, to) of `src` into `dst` (both RGBA, 4 floats per pixel, may be the same array).
   * When `active` is given, only pixels whose active[i] is non-zero are written.
   */
  run(src: Float32Array, dst: Float32Array, from: number, to: number, active: Uint8Array | null, quantize: boolean): void;
  /** True when the adjustment changes nothing (e.g. all curves identity), so the layer can be skipped. */
  readonly identity: boolean;
  /** For per-channel adjustments in the 8-bit pipeline: the three 256-entry tables (R, G, B). */
  readonly tables8?: readonly [Uint8Array, Uint8Array, Uint8Array];
}

/**
 * Prepare an adjustment for a pipeline: `fine` = the pixels carry fractional values (16-bit source), so
 * tables are built at 16-bit resolution instead of 256 entries.
 */
export function prepareAdjustment(adjustment: Adjustment, fine = false): AdjustmentKernel {
  switch (adjustment.type) {
    case 'curves':
      return curvesKernel(adjustment, fine);
    case 'hue/saturation':
      return pixelKernel(hueSaturationFn(adjustment), isZeroHueSat(adjustment));
    case 'color balance':
      return pixelKernel(colorBalanceFn(adjustment), isZeroColorBalance(adjustment));
    case 'channel mixer':
      return channelMixerKernel(adjustment, fine);
    default: {
      const never: never = adjustment;
      throw new Error(`unsupported adjustment ${(never as { type: string }).type}`);
    }
  }
}

/** Convenience: apply an adjustment to a whole 8-bit image (alpha kept). */
export function applyAdjustment(image: Rgba8Image, adjustment: Adjustment): Rgba8Image {
  const kernel = prepareAdjustment(adjustment, false);
  const out = new Uint8Array(image.data.length);
  const row = new Float32Array(image.width * 4);
  const w = image.width;
  for (let y = 0; y < image.height; y++) {
    const o = y * w * 4;
    for (let i = 0; i < w * 4; i++) row[i] = image.data[o + i];
    kernel.run(row, row, 0, w, null, true);
    for (let i = 0; i < w * 4; i++) out[o + i] = row[i];
  }
  return createRgba8(image.width, image.height, out);
}

// ---------------------------------------------------------------- curves

/**
 * Curves: each channel's own curve, then the composite RGB curve on the result (Photoshop's order).
 * In 8-bit both are 8-bit tables and are composed as such (the channel result is an integer code value
 * before the RGB curve reads it): lut[c][i] = rgb8[channel8[c][i]].
 */
export function curvesTables8(adj: CurvesAdjustment): [Uint8Array, Uint8Array, Uint8Array] {
  const rgb = table8(adj.rgb);
  const ch = [adj.red, adj.green, adj.blue].map((pts) => table8(pts));
  return ch.map((t) => {
    const lut = new Uint8Array(256);
    for (let i = 0; i < 256; i++) lut[i] = rgb[t[i]];
    return lut;
  }) as [Uint8Array, Uint8Array, Uint8Array];
}

function table8(points: CurvesAdjustment['rgb']): Uint8Array {
  const f = curveEvaluator(points);
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = Math.round(f(i));
  return t;
}

function curvesKernel(adj: CurvesAdjustment, fine: boolean): AdjustmentKernel {
  if (!fine) {
    const [lr, lg, lb] = curvesTables8(adj);
    let identity = true;
    for (let i = 0; i < 256; i++) if (lr[i] !== i || lg[i] !== i || lb[i] !== i) identity = false;
    return {
      identity,
      tables8: [lr, lg, lb],
      run(src, dst, from, to, active) {
        for (let p = from; p < to; p++) {
          if (active !== null && active[p] === 0) continue;
          const o = p * 4;
          // src holds integers here; clamp defensively against out-of-range input.
          dst[o] = lr[clampIdx8(src[o])];
          dst[o + 1] = lg[clampIdx8(src[o + 1])];
          dst[o + 2] = lb[clampIdx8(src[o + 2])];
          if (dst !== src) dst[o + 3] = src[o + 3];
        }
      },
    };
  }
  const frgb = curveEvaluator(adj.rgb);
  const luts = [adj.red, adj.green, adj.blue].map((pts) => {
    const f = curveEvaluator(pts);
    const lut = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) lut[i] = frgb(f(i / 257));
    return lut;
  });
  const [lr, lg, lb] = luts;
  let identity = true;
  for (let i = 0; i < 65536 && identity; i += 257) if (lr[i] !== i / 257 || lg[i] !== i / 257 || lb[i] !== i / 257) identity = false;
  return {
    identity,
    run(src, dst, from, to, active, quantize) {
      for (let p = from; p < to; p++) {
        if (active !== null && active[p] === 0) continue;
        const o = p * 4;
        let r = lr[clampIdx16(src[o])];
        let g = lg[clampIdx16(src[o + 1])];
        let b = lb[clampIdx16(src[o + 2])];
        if (quantize) {
          r = Math.round(r);
          g = Math.round(g);
          b = Math.round(b);
        }
        dst[o] = r;
        dst[o + 1] = g;
        dst[o + 2] = b;
        if (dst !== src) dst[o + 3] = src[o + 3];
      }
    },
  };
}

function clampIdx8(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
}
function clampIdx16(v: number): number {
  const i = (v * 257 + 0.5) | 0;
  return i <= 0 ? 0 : i >= 65535 ? 65535 : i;
}

// ---------------------------------------------------------------- per-pixel kernels

type PixelFn = (r: number, g: number, b: number, out: Float64Array) => void;

function pixelKernel(fn: PixelFn, identity: boolean): AdjustmentKernel {
  const tmp = new Float64Array(3);
  return {
    identity,
    run(src, dst, from, to, active, quantize) {
      for (let p = from; p < to; p++) {
        if (active !== null && active[p] === 0) continue;
        const o = p * 4;
        fn(src[o], src[o + 1], src[o + 2], tmp);
        let r = tmp[0] < 0 ? 0 : tmp[0] > 255 ? 255 : tmp[0];
        let g = tmp[1] < 0 ? 0 : tmp[1] > 255 ? 255 : tmp[1];
        let b = tmp[2] < 0 ? 0 : tmp[2] > 255 ? 255 : tmp[2];
        if (quantize) {
          r = Math.round(r);
          g = Math.round(g);
          b = Math.round(b);
        }
        dst[o] = r;
        dst[o + 1] = g;
        dst[o + 2] = b;
        if (dst !== src) dst[o + 3] = src[o + 3];
      }
    },
  };
}

// ---------------------------------------------------------------- hue/saturation (master)

function isZeroHueSat(a: HueSaturationAdjustment): boolean {
  return a.hue === 0 && a.saturation === 0 && a.lightness === 0;
}

/**
 * Photoshop Hue/Saturation, master range, in three steps (the widely reproduced reverse engineering of
 * Photoshop's filter — GIMP's hue-saturation operation was modelled on it — and the published
 * "PS saturation" algorithm):
 *  1. Hue: rotate the hue by `hue` degrees keeping each pixel's max and min channel (HSL/HSV rotation).
 *  2. Lightness l = lightness/100: l > 0: c ← c + (255 − c)·l; l < 0: c ← c·(1 + l).
 *  3. Saturation s = saturation/100, with HSL lightness L and saturation S of the pixel:
 *       s ≥ 0: k = 1/(s + S ≥ 1 ? S : 1 − s) − 1,  c ← c + (c − L)·k
 *       s < 0: c ← L + (c − L)·(1 + s)
 * The order (lightness before saturation) was chosen against Photoshop's render in
 * evaldata/psd/adjustments/huesaturation_rgb.psd (hue +122, saturation +100, lightness −37): mean error
 * 1.3 code values, against 10.4 with lightness last. It is still approximate: near-grey pixels pushed to
 * +100 saturation differ by up to ~60 (Photoshop's exact saturation/hue maths is not public).
 */
export function hueSaturationFn(a: HueSaturationAdjustment): PixelFn {
  const hueShift = ((((a.hue % 360) + 360) % 360) / 60); // in sextants
  const s = Math.max(-1, Math.min(1, a.saturation / 100));
  const l = Math.max(-1, Math.min(1, a.lightness / 100));
  return (r, g, b, out) => {
    if (hueShift !== 0) {
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const d = max - min;
      if (d > 0) {
        let h: number;
        if (max === r) h = (g - b) / d;
        else if (max === g) h = (b - r) / d + 2;
        else h = (r - g) / d + 4;
        h += hueShift;
        h = ((h % 6) + 6) % 6;
        hueToRgb(h, min, max, out);
        r = out[0];
        g = out[1];
        b = out[2];
      }
    }
    if (l > 0) {
      r += (255 - r) * l;
      g += (255 - g) * l;
      b += (255 - b) * l;
    } else if (l < 0) {
      r *= 1 + l;
      g *= 1 + l;
      b *= 1 + l;
    }
    if (s !== 0) {
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const delta = (max - min) / 255;
      if (delta > 0) {
        const value = (max + min) / 255;
        const L = value / 2;
        const S = L < 0.5 ? delta / value : delta / (2 - value);
        const L255 = L * 255;
        if (s > 0) {
          let k = s + S >= 1 ? S : 1 - s;
          k = 1 / k - 1;
          r = r + (r - L255) * k;
          g = g + (g - L255) * k;
          b = b + (b - L255) * k;
        } else {
          r = L255 + (r - L255) * (1 + s);
          g = L255 + (g - L255) * (1 + s);
          b = L255 + (b - L255) * (1 + s);
        }
      }
    }
    out[0] = r;
    out[1] = g;
    out[2] = b;
  };
}

/** Rebuild RGB from hue h (0..6 sextants) with the given min and max channel values. */
function hueToRgb(h: number, min: number, max: number, out: Float64Array): void {
  const d = max - min;
  const sext = Math.floor(h);
  const f = h - sext;
  const up = min + d * f;
  const down = max - d * f;
  switch (sext) {
    case 0: out[0] = max; out[1] = up; out[2] = min; break;
    case 1: out[0] = down; out[1] = max; out[2] = min; break;
    case 2: out[0] = min; out[1] = max; out[2] = up; break;
    case 3: out[0] = min; out[1] = down; out[2] = max; break;
    case 4: out[0] = up; out[1] = min; out[2] = max; break;
    default: out[0] = max; out[1] = min; out[2] = down; break;
  }
}

// ---------------------------------------------------------------- color balance

function isZeroColorBalance(a: ColorBalanceAdjustment): boolean {
  return [...a.shadows, ...a.midtones, ...a.highlights].every((v) => v === 0);
}

/**
 * Color Balance with tone-range weights by the pixel's HSL lightness and optional preserve-luminosity
 * (restore the original HSL lightness), after GIMP's color-balance operation, which reimplements
 * Photoshop's dialog (gimpoperationcolorbalance.c: ramps of width 0.25 at 0.333 and 0.667, scale 0.7).
 * Not verified against a Photoshop render (no reference file in evaldata has a visible colour balance).
 */
export function colorBalanceFn(a: ColorBalanceAdjustment): PixelFn {
  const A = 0.25, B = 0.333, SCALE = 0.7;
  const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
  const sh = a.shadows.map((v) => v / 100);
  const mid = a.midtones.map((v) => v / 100);
  const hi = a.highlights.map((v) => v / 100);
  const hsl = new Float64Array(3);
  return (r, g, b, out) => {
    const rn = r / 255, gn = g / 255, bn = b / 255;
    const max = Math.max(rn, gn, bn), min = Math.min(rn, gn, bn);
    const light = (max + min) / 2;
    const ws = clamp01((light - B) / -A + 0.5) * SCALE;
    const wm = clamp01((light - B) / A + 0.5) * clamp01((light + B - 1) / -A + 0.5) * SCALE;
    const wh = clamp01((light + B - 1) / A + 0.5) * SCALE;
    let r2 = clamp01(rn + sh[0] * ws + mid[0] * wm + hi[0] * wh);
    let g2 = clamp01(gn + sh[1] * ws + mid[1] * wm + hi[1] * wh);
    let b2 = clamp01(bn + sh[2] * ws + mid[2] * wm + hi[2] * wh);
    if (a.preserveLuminosity) {
      rgbToHsl(r2, g2, b2, hsl);
      hslToRgb(hsl[0], hsl[1], light, hsl);
      r2 = hsl[0];
      g2 = hsl[1];
      b2 = hsl[2];
    }
    out[0] = r2 * 255;
    out[1] = g2 * 255;
    out[2] = b2 * 255;
  };
}

function rgbToHsl(r: number, g: number, b: number, out: Float64Array): void {
  const max = Math.max(r, g, b), min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) {
    out[0] = 0; out[1] = 0; out[2] = l;
    return;
  }
  const s = l <= 0.5 ? d / (max + min) : d / (2 - max - min);
  let h: number;
  if (max === r) h = (g - b) / d;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  out[0] = ((h / 6) % 1 + 1) % 1; out[1] = s; out[2] = l;
}

function hslToRgb(h: number, s: number, l: number, out: Float64Array): void {
  if (s === 0) {
    out[0] = out[1] = out[2] = l;
    return;
  }
  const m2 = l <= 0.5 ? l * (1 + s) : l + s - l * s;
  const m1 = 2 * l - m2;
  const hv = (m1x: number, m2x: number, hh: number) => {
    hh = ((hh % 1) + 1) % 1;
    if (hh < 1 / 6) return m1x + (m2x - m1x) * hh * 6;
    if (hh < 1 / 2) return m2x;
    if (hh < 2 / 3) return m1x + (m2x - m1x) * (2 / 3 - hh) * 6;
    return m1x;
  };
  const r = hv(m1, m2, h + 1 / 3), g = hv(m1, m2, h), b = hv(m1, m2, h - 1 / 3);
  out[0] = r; out[1] = g; out[2] = b;
}

// ---------------------------------------------------------------- channel mixer

/**
 * Channel Mixer: out = R·r% + G·g% + B·b% + constant% of full scale (255), clamped to 0..255, per pixel.
 */
function channelMixerKernel(a: ChannelMixerAdjustment, _fine: boolean): AdjustmentKernel {
  const rows = [a.red, a.green, a.blue];
  const identity = rows.every((row, c) => row.every((v, j) => v === (j === c ? 100 : 0)));
  const m = rows.map((row) => [row[0] / 100, row[1] / 100, row[2] / 100, (row[3] / 100) * 255]);
  return {
    identity,
    run(src, dst, from, to, active, quantize) {
      for (let p = from; p < to; p++) {
        if (active !== null && active[p] === 0) continue;
        const o = p * 4;
        const r = src[o], g = src[o + 1], b = src[o + 2];
        for (let c = 0; c < 3; c++) {
          const k = m[c];
          let v = r * k[0] + g * k[1] + b * k[2] + k[3];
          v = v < 0 ? 0 : v > 255 ? 255 : v;
          dst[o + c] = quantize ? Math.round(v) : v;
        }
        if (dst !== src) dst[o + 3] = src[o + 3];
      }
    },
  };
}
