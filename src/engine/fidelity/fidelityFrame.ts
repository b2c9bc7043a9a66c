/**
 * The shared groundwork of every original-vs-result check: the piece's window (its content bounds plus a
 * margin, so a 24 MP frame is only walked where the jewelry is), luma planes of both images cropped to
 * it, the piece mask eroded 2 px (spec §D.6: matte edges must not dominate), and distances to the mask
 * edge for the edge bands.
 */
import type { Mask, Rgba8Image } from '../image';
import { assertSameSize } from '../image';
import { contentBounds, type PixelWindow } from '../maskWindow';

/** Coverage counted as the piece. */
export const INSIDE = 128;

export interface FidelityFrame {
  /** Crop of the full image the planes cover. */
  readonly win: PixelWindow;
  readonly w: number;
  readonly h: number;
  /** Rec. 601 luma Y′ (0..255) of the original and the result, cropped. */
  readonly lumaOriginal: Float32Array;
  readonly lumaResult: Float32Array;
  /** Jewelry coverage, cropped (0..255). */
  readonly mask: Uint8Array;
  /** 1 where the piece mask eroded by 2 px is fully on (the measured area), else 0. */
  readonly core: Uint8Array;
  /** Distance (px, chamfer) from each piece pixel to the nearest non-piece pixel; 0 outside. */
  readonly insideDistance: Float32Array;
  /** Distance from each non-piece pixel to the nearest piece pixel; 0 inside. */
  readonly outsideDistance: Float32Array;
}

export function buildFidelityFrame(original: Rgba8Image, result: Rgba8Image, jewelryMask: Mask, margin: number): FidelityFrame {
  assertSameSize('the result', original, result);
  assertSameSize('the jewelry mask', original, jewelryMask);
  const bounds = contentBounds(jewelryMask, margin, INSIDE);
  if (!bounds) throw new Error('the jewelry mask is empty: nothing to compare. Check the mask (white = jewelry)');
  const win = bounds;
  const w = win.x1 - win.x0, h = win.y1 - win.y0;
  const lumaOriginal = cropLuma(original, win);
  const lumaResult = cropLuma(result, win);
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) mask.set(jewelryMask.data.subarray((win.y0 + y) * original.width + win.x0, (win.y0 + y) * original.width + win.x1), y * w);
  const piece = new Uint8Array(w * h);
  for (let i = 0; i < piece.length; i++) piece[i] = mask[i] >= INSIDE ? 1 : 0;
  const insideDistance = chamferDistance(piece, w, h, 1);
  const outsideDistance = chamferDistance(piece, w, h, 0);
  const core = new Uint8Array(w * h);
  for (let i = 0; i < core.length; i++) core[i] = insideDistance[i] > 2 && mask[i] >= 250 ? 1 : 0;
  return { win, w, h, lumaOriginal, lumaResult, mask, core, insideDistance, outsideDistance };
}

function cropLuma(image: Rgba8Image, win: PixelWindow): Float32Array {
  const w = win.x1 - win.x0, h = win.y1 - win.y0;
  const out = new Float32Array(w * h);
  const d = image.data;
  for (let y = 0; y < h; y++) {
    let p = ((win.y0 + y) * image.width + win.x0) * 4;
    for (let x = 0, o = y * w; x < w; x++, o++, p += 4) out[o] = 0.299 * d[p] + 0.587 * d[p + 1] + 0.114 * d[p + 2];
  }
  return out;
}

/**
 * Distance from each pixel whose `set` value equals `of` to the nearest pixel that differs, with the
 * 3-4 chamfer (within 8 % of Euclidean; ample for edge bands of a few px). Pixels not `of` get 0.
 * The crop border counts as "differs" only when `of` is 1: a piece is never assumed to go on past it.
 */
export function chamferDistance(set: Uint8Array, w: number, h: number, of: 0 | 1): Float32Array {
  const BIG = 1e9;
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = set[i] === of ? BIG : 0;
  const edge = of === 1 ? 0 : BIG;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      if (d[i] === 0) continue;
      const up = y > 0;
      let v = d[i];
      const l = x > 0 ? d[i - 1] : edge, u = up ? d[i - w] : edge;
      const ul = up && x > 0 ? d[i - w - 1] : edge, ur = up && x < w - 1 ? d[i - w + 1] : edge;
      if (l + 3 < v) v = l + 3;
      if (u + 3 < v) v = u + 3;
      if (ul + 4 < v) v = ul + 4;
      if (ur + 4 < v) v = ur + 4;
      d[i] = v;
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    const row = y * w;
    for (let x = w - 1; x >= 0; x--) {
      const i = row + x;
      if (d[i] === 0) continue;
      const dn = y < h - 1;
      let v = d[i];
      const r = x < w - 1 ? d[i + 1] : edge, b = dn ? d[i + w] : edge;
      const br = dn && x < w - 1 ? d[i + w + 1] : edge, bl = dn && x > 0 ? d[i + w - 1] : edge;
      if (r + 3 < v) v = r + 3;
      if (b + 3 < v) v = b + 3;
      if (br + 4 < v) v = br + 4;
      if (bl + 4 < v) v = bl + 4;
      d[i] = v;
    }
  }
  for (let i = 0; i < d.length; i++) d[i] = d[i] >= BIG ? Infinity : d[i] / 3;
  return d;
}

/** p-th percentile (0..100) of a list, nearest rank. NaN when empty. */
export function percentileOf(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * (s.length - 1))))];
}

export function meanOf(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}
