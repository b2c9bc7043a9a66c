/**
 * Colour of the metal, original vs result (spec §D.3, §D.5, §A.3):
 * - ΔE00 per pixel on the metal (mean, p95, and a heatmap);
 * - the same after taking out the result's own per-channel curves (what a Curves or white-balance
 *   correction is): what remains is colour that moved unevenly — painted, smeared, blotched;
 * - the metal's tone (median hue, C*÷L*, b*) against its acceptance window, before and after;
 * - highlights: clipped fraction and large blown patches on the metal.
 */
import { srgb8ToLab } from '../color';
import { channelToneMap } from './channelToneMap';
import { ciede2000 } from '../ciede2000';
import type { Mask, Rgba8Image } from '../image';
import { measureMetal, type MetalMeasurement } from '../metal/measureMetal';
import type { MetalSpec } from '../metal/metalCatalog';
import type { PixelWindow } from '../maskWindow';
import { chamferDistance, percentileOf, meanOf } from './fidelityFrame';

export interface ColourMeasures {
  readonly deltaEMean: number;
  readonly deltaEP95: number;
  /**
   * ΔE00 left after the result's own per-channel curves, p95 over the metal's body (away from highlights
   * and rims; NaN when under 200 such pixels), and where the worst is.
   */
  readonly residualP95: number;
  readonly residualPixels: number;
  /** ΔE00 heatmap over the crop on a grid of `heatStep` px (metal and stones), NaN off the piece. */
  readonly heat: Float32Array;
  readonly heatStep: number;
  readonly heatWidth: number;
  readonly heatHeight: number;
  /** Crop-relative box around the densest residual drift (for "where"). */
  readonly residualBox: { x: number; y: number; width: number; height: number } | null;
  readonly before: MetalMeasurement;
  readonly after: MetalMeasurement;
  /** Hot blobs (spec §D.5) on the metal, before and after. */
  readonly hotBlobsBefore: number;
  readonly hotBlobsAfter: number;
}

export function measureColour(
  original: Rgba8Image, result: Rgba8Image, metalMask: Mask, jewelryMask: Mask, win: PixelWindow,
): ColourMeasures {
  const { width } = original;
  const w = win.x1 - win.x0, h = win.y1 - win.y0;
  const metal = metalMask.data;
  const before = measureMetal(original, metalMask, win);
  const after = measureMetal(result, metalMask, win);

  // The result's own per-channel curves on the metal (what Curves / white balance did), see channelToneMap.
  const curves = channelToneMap(original, result, metalMask, win);
  let count = 0;
  for (let y = win.y0; y < win.y1; y++) for (let i = y * width + win.x0; i < y * width + win.x1; i++) if (metal[i] >= 250) count++;
  const stride = Math.max(1, Math.floor(count / 100_000));
  const samples: number[] = [];
  let seen = 0;
  for (let y = win.y0; y < win.y1; y++) {
    for (let i = y * width + win.x0; i < y * width + win.x1; i++) if (metal[i] >= 250 && seen++ % stride === 0) samples.push(i);
  }

  const dE: number[] = [], residual: number[] = [];
  const a = [0, 0, 0], b = [0, 0, 0], c = [0, 0, 0];
  let worstI = -1, worstV = 0;
  const [cr, cg, cb] = curves;
  const metalCrop = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) metalCrop[y * w + x] = metal[(win.y0 + y) * width + win.x0 + x] >= 250 ? 1 : 0;
  const metalDepth = chamferDistance(metalCrop, w, h, 1);
  // Hotspot territory: within two feather widths of a blown pixel of the piece (spec §B.3 feathers
  // roll-offs 3–8 px, wider on bigger frames: σ = 3 px per 2000 px of the long side, 3..8).
  const feather = Math.min(8, Math.max(3, (3 * Math.max(width, original.height)) / 2000));
  const hotCrop = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (win.y0 + y) * width + win.x0 + x, p = i * 4;
      hotCrop[y * w + x] = jewelryMask.data[i] >= 128 && Math.max(original.data[p], original.data[p + 1], original.data[p + 2]) >= 250 ? 1 : 0;
    }
  }
  const hotDistance = chamferDistance(hotCrop, w, h, 0);
  const body = (i: number) => {
    const c = (Math.floor(i / width) - win.y0) * w + (i % width) - win.x0;
    return metalDepth[c] > 3 && hotDistance[c] > 2 * feather;
  };
  for (const i of samples) {
    const p = i * 4;
    const o0 = original.data[p], o1 = original.data[p + 1], o2 = original.data[p + 2];
    srgb8ToLab(o0, o1, o2, 'D65', a);
    srgb8ToLab(result.data[p], result.data[p + 1], result.data[p + 2], 'D65', b);
    dE.push(ciede2000(a[0], a[1], a[2], b[0], b[1], b[2]));
    // Highlights from the roll-off knee up and their surroundings are the hotspot tools' territory
    // (spec §B.3: rolled off and tinted on purpose; clipped pixels carry no colour anyway), and the
    // metal's rim next to stones and the silhouette takes a feathered correction: drift is judged on the
    // metal's body.
    if (Math.max(o0, o1, o2) >= 230 || !body(i)) continue;
    srgb8ToLab(Math.round(cr[o0]), Math.round(cg[o1]), Math.round(cb[o2]), 'D65', c);
    const res = ciede2000(c[0], c[1], c[2], b[0], b[1], b[2]);
    residual.push(res);
    if (res > worstV) { worstV = res; worstI = i; }
  }

  // Heatmap: ΔE00 on a grid over the piece, ≤ ~300 k cells so a 24 MP frame stays quick.
  const heatStep = Math.max(1, Math.ceil(Math.sqrt((w * h) / 300_000)));
  const hw = Math.ceil(w / heatStep), hh = Math.ceil(h / heatStep);
  const heat = new Float32Array(hw * hh).fill(Number.NaN);
  const jm = jewelryMask.data;
  for (let gy = 0; gy < hh; gy++) {
    for (let gx = 0; gx < hw; gx++) {
      const x = win.x0 + gx * heatStep, y = win.y0 + gy * heatStep;
      const i = y * width + x;
      if (jm[i] < 128) continue;
      const p = i * 4;
      srgb8ToLab(original.data[p], original.data[p + 1], original.data[p + 2], 'D65', a);
      srgb8ToLab(result.data[p], result.data[p + 1], result.data[p + 2], 'D65', b);
      heat[gy * hw + gx] = ciede2000(a[0], a[1], a[2], b[0], b[1], b[2]);
    }
  }

  const residualP95 = residual.length >= 200 ? percentileOf(residual, 95) : Number.NaN;
  let residualBox: ColourMeasures['residualBox'] = null;
  if (worstI >= 0) {
    const x = (worstI % width) - win.x0, y = Math.floor(worstI / width) - win.y0;
    const half = Math.max(16, Math.round(0.05 * Math.max(w, h)));
    residualBox = { x: Math.max(0, x - half), y: Math.max(0, y - half), width: Math.min(2 * half, w), height: Math.min(2 * half, h) };
  }
  const minBlob = Math.max(50, Math.round(0.0005 * count * stride));
  return {
    deltaEMean: meanOf(dE), deltaEP95: percentileOf(dE, 95), residualP95, residualPixels: residual.length * stride,
    heat, heatStep, heatWidth: hw, heatHeight: hh, residualBox, before, after,
    hotBlobsBefore: countHotBlobs(original, metalMask, win, minBlob),
    hotBlobsAfter: countHotBlobs(result, metalMask, win, minBlob),
  };
}

/** Connected metal regions (4-neighbour) with max(R,G,B) ≥ 250 and area ≥ minArea (spec §D.5 hot_blobs). */
function countHotBlobs(image: Rgba8Image, metalMask: Mask, win: PixelWindow, minArea: number): number {
  const { width } = image;
  const w = win.x1 - win.x0, h = win.y1 - win.y0;
  const hot = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (win.y0 + y) * width + win.x0 + x, p = i * 4;
      if (metalMask.data[i] >= 128 && Math.max(image.data[p], image.data[p + 1], image.data[p + 2]) >= 250) hot[y * w + x] = 1;
    }
  }
  let blobs = 0;
  const queue = new Int32Array(w * h);
  for (let s = 0; s < hot.length; s++) {
    if (hot[s] !== 1) continue;
    let head = 0, tail = 0, area = 0;
    queue[tail++] = s; hot[s] = 2;
    while (head < tail) {
      const i = queue[head++]; area++;
      const x = i % w;
      if (x > 0 && hot[i - 1] === 1) { hot[i - 1] = 2; queue[tail++] = i - 1; }
      if (x < w - 1 && hot[i + 1] === 1) { hot[i + 1] = 2; queue[tail++] = i + 1; }
      if (i >= w && hot[i - w] === 1) { hot[i - w] = 2; queue[tail++] = i - w; }
      if (i + w < hot.length && hot[i + w] === 1) { hot[i + w] = 2; queue[tail++] = i + w; }
    }
    if (area >= minArea) blobs++;
  }
  return blobs;
}

/**
 * How far a metal measurement sits outside its acceptance window, in "window-edge steps" (spec §D.6:
 * warn within 2° of hue or 0.02 of C*÷L*; for white metals 0.5 of b*). 0 inside the window.
 */
export function distanceOutsideWindow(metal: MetalSpec, m: MetalMeasurement): number {
  if (!(m.qualifying > 0)) return Number.NaN;
  const [clMin, clMax] = metal.chromaPerLightness;
  const cl = m.chromaPerLightness;
  const clOut = cl < clMin ? clMin - cl : cl > clMax ? cl - clMax : 0;
  let out = clOut / 0.02;
  if (metal.hueWindow) {
    const [h0, h1] = metal.hueWindow;
    const hOut = m.hue < h0 ? h0 - m.hue : m.hue > h1 ? m.hue - h1 : 0;
    out = Math.max(out, hOut / 2);
  } else if (metal.bWindow) {
    const b = m.lab[2];
    const bOut = b < metal.bWindow[0] ? metal.bWindow[0] - b : b > metal.bWindow[1] ? b - metal.bWindow[1] : 0;
    out = Math.max(out, bOut / 0.5);
  }
  return out;
}

/** The spec §A.5 name of the cast a measurement shows for its metal, or null when none. */
export function castName(metal: MetalSpec, m: MetalMeasurement): string | null {
  const cl = m.chromaPerLightness;
  if (metal.family === 'yellow-gold') {
    if (m.hue > 90 && m.lab[1] < 0) return 'green';
    if (m.hue > 86 || (m.gr > 0.8 && cl > 0.2)) return 'brassy';
    if (m.hue < 70) return 'too red';
    if (cl < metal.chromaPerLightness[0]) return 'grey, washed out';
    return null;
  }
  if (metal.family === 'rose-gold') {
    if (m.hue > 68) return 'orange-muddy';
    if (m.hue < 48) return 'raw copper';
    if (cl < metal.chromaPerLightness[0]) return 'grey, washed out';
    return null;
  }
  if (m.lab[2] < -0.5 || m.br > 1.0) return 'blue';
  if (m.lab[2] > 8) return 'yellowed';
  if (m.lightnessP95 < 85) return 'grey, dull';
  return null;
}
