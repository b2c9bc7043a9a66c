/**
 * The result's own per-channel tone curves, read off the piece: for each original code value of a
 * channel, the median result code of the piece pixels with that value. Retouch tools write exactly such
 * curves (Curves layers, white balance), so the original passed through them is "what an honest global
 * tone/colour edit would give"; what the result has beyond that is local — painted, smeared, spilled.
 */
import type { Mask, Rgba8Image } from '../image';
import type { PixelWindow } from '../maskWindow';

export type ChannelCurves = readonly [Float32Array, Float32Array, Float32Array];

/** Curves from piece pixels (mask ≥ 128, optional `only` mask ≥ 128) in `win`; gaps interpolated. */
export function channelToneMap(original: Rgba8Image, result: Rgba8Image, mask: Mask, win: PixelWindow, only?: Mask): ChannelCurves {
  const { width } = original;
  let count = 0;
  for (let y = win.y0; y < win.y1; y++) for (let i = y * width + win.x0; i < y * width + win.x1; i++) if (mask.data[i] >= 128) count++;
  const stride = Math.max(1, Math.floor(count / 400_000));
  // Histograms of result codes per original code: 256 × 256 counts per channel, medians from them.
  const hist = [new Uint32Array(65536), new Uint32Array(65536), new Uint32Array(65536)];
  let seen = 0;
  for (let y = win.y0; y < win.y1; y++) {
    for (let i = y * width + win.x0; i < y * width + win.x1; i++) {
      if (mask.data[i] < 128 || (only && only.data[i] < 128) || seen++ % stride) continue;
      const p = i * 4;
      for (let k = 0; k < 3; k++) hist[k][original.data[p + k] * 256 + result.data[p + k]]++;
    }
  }
  return [curveFrom(hist[0]), curveFrom(hist[1]), curveFrom(hist[2])];
}

function curveFrom(hist: Uint32Array): Float32Array {
  const lut = new Float32Array(256).fill(Number.NaN);
  for (let v = 0; v < 256; v++) {
    let n = 0;
    for (let u = 0; u < 256; u++) n += hist[v * 256 + u];
    if (n < 3) continue;
    let acc = 0;
    for (let u = 0; u < 256; u++) {
      acc += hist[v * 256 + u];
      if (acc * 2 >= n) { lut[v] = u; break; }
    }
  }
  let prev = -1;
  for (let v = 0; v < 256; v++) {
    if (Number.isNaN(lut[v])) continue;
    if (prev < 0) for (let u = 0; u < v; u++) lut[u] = u + (lut[v] - v);
    else for (let u = prev + 1; u < v; u++) lut[u] = lut[prev] + ((lut[v] - lut[prev]) * (u - prev)) / (v - prev);
    prev = v;
  }
  if (prev < 0) for (let v = 0; v < 256; v++) lut[v] = v;
  else for (let u = prev + 1; u < 256; u++) lut[u] = u + (lut[prev] - prev);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, lut[v]));
  return lut;
}

/**
 * The original through the result's curves, per region: the metal's own curves on metal pixels, the rest
 * of the piece's on the rest (Retouch tools correct the metal and leave the stones, so one set of curves
 * for both would mistake the stones for changed metal). Returns a function giving the predicted RGB.
 */
export interface RegionCurves {
  readonly metal: ChannelCurves;
  readonly other: ChannelCurves;
  readonly metalMask: Mask | null;
}

export function regionCurves(original: Rgba8Image, result: Rgba8Image, jewelryMask: Mask, metalMask: Mask | null, win: PixelWindow): RegionCurves {
  if (!metalMask) {
    const all = channelToneMap(original, result, jewelryMask, win);
    return { metal: all, other: all, metalMask: null };
  }
  const rest = new Uint8Array(jewelryMask.data.length);
  const { width } = original;
  for (let y = win.y0; y < win.y1; y++) {
    for (let i = y * width + win.x0; i < y * width + win.x1; i++) rest[i] = metalMask.data[i] < 128 ? 255 : 0;
  }
  const restMask: Mask = { width, height: original.height, data: rest };
  return {
    metal: channelToneMap(original, result, jewelryMask, win, metalMask),
    other: channelToneMap(original, result, jewelryMask, win, restMask),
    metalMask,
  };
}

/** Curves for full-image pixel index i. */
export function curvesAt(rc: RegionCurves, i: number): ChannelCurves {
  return rc.metalMask && rc.metalMask.data[i] >= 128 ? rc.metal : rc.other;
}
