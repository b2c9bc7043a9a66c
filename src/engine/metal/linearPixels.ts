/** Reads pixels of an 8- or 16-bit image as linear-light RGB, without caring which depth it is. */
import { SRGB8_TO_LINEAR, srgb16ToLinearTable } from '../color';
import type { RgbaImage } from '../image';

export interface LinearPixelReader {
  /** Decoding table indexed by the stored code value. */
  readonly table: Float32Array;
  readonly data: ArrayLike<number>;
  /** Code value that counts as clipped (≥ 254 of 255, spec §D.5), in this depth's units. */
  readonly clipCode: number;
  /** Largest code value at this depth. */
  readonly maxCode: number;
}

export function linearPixelReader(image: RgbaImage): LinearPixelReader {
  return image.depth === 8
    ? { table: SRGB8_TO_LINEAR, data: image.data, clipCode: 254, maxCode: 255 }
    : { table: srgb16ToLinearTable(), data: image.data, clipCode: 254 * 257, maxCode: 65535 };
}

/** The pixels to sample when a statistic only needs a fair subset: every `stride`-th, capped near `cap`. */
export function sampleStride(count: number, cap = 250_000): number {
  return Math.max(1, Math.floor(count / cap));
}

export function median(values: Float64Array | number[], length = values.length): number {
  if (length === 0) return NaN;
  const sorted = Float64Array.from(values.slice(0, length) as ArrayLike<number>).sort();
  const mid = length >> 1;
  return length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[i];
}
