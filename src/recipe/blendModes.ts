/**
 * Photoshop blend modes on gamma-encoded values (sRGB 0..1): Photoshop blends the document's code values
 * as they are, not in linear light. `backdrop` is what lies below (Cb), `source` the layer's colour (Cs).
 *
 * Separable formulas (W3C Compositing and Blending Level 1, §10.1, which describes Photoshop's modes):
 *  - normal:   Cs
 *  - multiply: Cb·Cs
 *  - screen:   Cb + Cs − Cb·Cs
 *  - overlay:  HardLight(Cs, Cb), i.e. Cb ≤ ½ ? 2·Cb·Cs : 1 − 2(1 − Cb)(1 − Cs)
 *  - linear light: Cb + 2·Cs − 1, clamped to 0..1 (Photoshop; not in the W3C spec)
 *  - soft light: Photoshop's own formula, which is *not* the W3C/PDF one (that one uses a
 *    D(Cb) = ((16Cb − 12)Cb + 4)Cb piece for Cb > ¼):
 *      Cs ≤ ½:  Cb − (1 − 2Cs)·Cb·(1 − Cb)          (= 2·Cb·Cs + Cb²(1 − 2Cs))
 *      Cs > ½:  Cb + (2Cs − 1)·(√Cb − Cb)            (= 2·Cb(1 − Cs) + √Cb·(2Cs − 1))
 *    (Wikipedia "Blend modes" § Soft Light, "Photoshop"; pegtop.net's comparison). Both agree at Cs = ½
 *    (identity), at Cb ∈ {0, 1} (Cb is kept) — which is all that the primary-coloured soft-light.psd
 *    reference can check — and differ by up to ~0.04 elsewhere.
 * Non-separable (W3C §10.2, Lum/SetLum/ClipColor with Rec.601 weights 0.3/0.59/0.11, as Photoshop):
 *  - color:      SetLum(Cs, Lum(Cb))
 *  - luminosity: SetLum(Cb, Lum(Cs))
 */
import type { BlendMode } from './recipe';

export type SeparableBlendMode = Exclude<BlendMode, 'color' | 'luminosity'>;
/** One channel: backdrop and source in 0..1, result in 0..1. */
export type ChannelBlend = (backdrop: number, source: number) => number;

export const blendNormal: ChannelBlend = (_b, s) => s;
export const blendMultiply: ChannelBlend = (b, s) => b * s;
export const blendScreen: ChannelBlend = (b, s) => b + s - b * s;
export const blendOverlay: ChannelBlend = (b, s) => (b <= 0.5 ? 2 * b * s : 1 - 2 * (1 - b) * (1 - s));
export const blendSoftLight: ChannelBlend = (b, s) =>
  s <= 0.5 ? b - (1 - 2 * s) * b * (1 - b) : b + (2 * s - 1) * (Math.sqrt(b) - b);
export const blendLinearLight: ChannelBlend = (b, s) => {
  const r = b + 2 * s - 1;
  return r < 0 ? 0 : r > 1 ? 1 : r;
};

export const channelBlends: Readonly<Record<SeparableBlendMode, ChannelBlend>> = {
  normal: blendNormal,
  multiply: blendMultiply,
  screen: blendScreen,
  overlay: blendOverlay,
  'soft light': blendSoftLight,
  'linear light': blendLinearLight,
};

export function isSeparable(mode: BlendMode): mode is SeparableBlendMode {
  return mode !== 'color' && mode !== 'luminosity';
}

/** Rec.601 luma as in the W3C spec (and Photoshop's Color/Luminosity modes). */
export function lum(r: number, g: number, b: number): number {
  return 0.3 * r + 0.59 * g + 0.11 * b;
}

/** W3C SetLum + ClipColor: colour (r,g,b) moved to luminosity l, written into out[0..2]. Any 0..1 or 0..255 scale. */
export function setLum(r: number, g: number, b: number, l: number, out: { [i: number]: number }, max = 1): void {
  const d = l - lum(r, g, b);
  r += d;
  g += d;
  b += d;
  // ClipColor
  const L = lum(r, g, b);
  const n = Math.min(r, g, b);
  const x = Math.max(r, g, b);
  if (n < 0) {
    const k = L - n;
    if (k > 0) {
      r = L + ((r - L) * L) / k;
      g = L + ((g - L) * L) / k;
      b = L + ((b - L) * L) / k;
    }
  }
  if (x > max) {
    const k = x - L;
    if (k > 0) {
      r = L + ((r - L) * (max - L)) / k;
      g = L + ((g - L) * (max - L)) / k;
      b = L + ((b - L) * (max - L)) / k;
    }
  }
  out[0] = r;
  out[1] = g;
  out[2] = b;
}

/**
 * Blend one pixel with any mode. Values on any scale 0..max (1 for 0..1 floats, 255 for code values);
 * the result B(Cb, Cs) (before opacity/alpha mixing) goes to out[0..2].
 */
export function blendPixel(
  mode: BlendMode,
  br: number, bg: number, bb: number,
  sr: number, sg: number, sb: number,
  out: { [i: number]: number },
  max = 1,
): void {
  if (mode === 'color') return setLum(sr, sg, sb, lum(br, bg, bb), out, max);
  if (mode === 'luminosity') return setLum(br, bg, bb, lum(sr, sg, sb), out, max);
  const f = channelBlends[mode];
  if (max === 1) {
    out[0] = f(br, sr);
    out[1] = f(bg, sg);
    out[2] = f(bb, sb);
  } else {
    const k = 1 / max;
    out[0] = f(br * k, sr * k) * max;
    out[1] = f(bg * k, sg * k) * max;
    out[2] = f(bb * k, sb * k) * max;
  }
}

const tableCache = new Map<SeparableBlendMode, Float32Array>();

/**
 * 256×256 table of B(Cb, Cs) on code values for a separable mode: entry [cb * 256 + cs] is the unrounded
 * result in 0..255. Cached per mode.
 */
export function blendTable8(mode: SeparableBlendMode): Float32Array {
  let t = tableCache.get(mode);
  if (!t) {
    const f = channelBlends[mode];
    t = new Float32Array(65536);
    for (let b = 0; b < 256; b++) for (let s = 0; s < 256; s++) t[b * 256 + s] = f(b / 255, s / 255) * 255;
    tableCache.set(mode, t);
  }
  return t;
}
