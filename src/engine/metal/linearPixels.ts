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

/** Exact median (mean of the two middle values for an even count), by selection: O(n), not a full sort. */
export function median(values: Float64Array | number[], length = values.length): number {
  if (length === 0) return NaN;
  const work = Float64Array.from(values.slice(0, length) as ArrayLike<number>);
  const mid = length >> 1;
  const upper = selectKth(work, mid);
  if (length % 2) return upper;
  // After selecting `mid`, everything left of it is ≤ it: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (work[i] > lower) lower = work[i];
  return (lower + upper) / 2;
}

/** k-th smallest value (0-based), partially reordering `a` (Hoare's quickselect, median-of-three pivot). */
function selectKth(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (hi > lo) {
    const m = (lo + hi) >> 1;
    // Median of three as pivot keeps already-sorted runs from going quadratic.
    if (a[m] < a[lo]) swap(a, m, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[m]) swap(a, hi, m);
    const pivot = a[m];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]; a[i] = a[j]; a[j] = t;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[i];
}
