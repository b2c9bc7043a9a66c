/**
 * Work only where a mask has content. Jewelry, its hotspots and stones cover a fraction of a 24 MP
 * frame; cropping to their bounds (plus a margin for feathering) keeps full-frame passes off the hot path.
 */
import { blurMask } from './gaussianBlur';
import { createMask, type Mask } from './image';

/** Half-open pixel rectangle [x0, x1) × [y0, y1). */
export interface PixelWindow {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** The whole frame as a window. */
export function fullWindow(width: number, height: number): PixelWindow {
  return { x0: 0, y0: 0, x1: width, y1: height };
}

/** A window grown by `margin` on every side, clipped to the frame. */
export function growWindow(win: PixelWindow, margin: number, width: number, height: number): PixelWindow {
  return {
    x0: Math.max(0, win.x0 - margin), y0: Math.max(0, win.y0 - margin),
    x1: Math.min(width, win.x1 + margin), y1: Math.min(height, win.y1 + margin),
  };
}

/** Bounds of the pixels ≥ threshold, grown by margin and clipped to the canvas; null when there are none. */
export function contentBounds(mask: Mask, margin = 0, threshold = 1): PixelWindow | null {
  const found = boundsWithin(mask, fullWindow(mask.width, mask.height), threshold);
  return found && growWindow(found, margin, mask.width, mask.height);
}

/** Bounds of the pixels ≥ threshold, looking only inside `within` (which must hold them all to be exact). */
export function boundsWithin(mask: Mask, within: PixelWindow, threshold = 1): PixelWindow | null {
  const { width, data } = mask;
  let x0 = within.x1, y0 = -1, x1 = -1, y1 = -1;
  for (let y = within.y0; y < within.y1; y++) {
    const row = y * width;
    let first = -1, last = -1;
    if (threshold <= 1) {
      first = firstNonZero(data, row + within.x0, row + within.x1);
      if (first < 0) continue;
      last = lastNonZero(data, first, row + within.x1) - row;
      first -= row;
    } else {
      for (let x = within.x0; x < within.x1; x++) if (data[row + x] >= threshold) { first = x; break; }
      if (first < 0) continue;
      for (let x = within.x1 - 1; x >= first; x--) if (data[row + x] >= threshold) { last = x; break; }
    }
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
    if (y0 < 0) y0 = y;
    y1 = y;
  }
  if (x1 < 0) return null;
  return { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Index of the first non-zero byte of data[from, to), or −1. Masks are mostly zero around a piece of
 * jewelry, so this reads four bytes at a time where the buffer allows.
 */
export function firstNonZero(data: Uint8Array, from: number, to: number): number {
  const words = wordView(data);
  let i = from;
  if (words !== null) {
    while (i < to && (i & 3) !== 0) { if (data[i] !== 0) return i; i++; }
    while (i + 4 <= to && words[i >> 2] === 0) i += 4;
  }
  for (; i < to; i++) if (data[i] !== 0) return i;
  return -1;
}

/** Index of the last non-zero byte of data[from, to), or −1. */
export function lastNonZero(data: Uint8Array, from: number, to: number): number {
  const words = wordView(data);
  let i = to - 1;
  if (words !== null) {
    while (i >= from && ((i + 1) & 3) !== 0) { if (data[i] !== 0) return i; i--; }
    while (i - 3 >= from && words[(i - 3) >> 2] === 0) i -= 4;
  }
  for (; i >= from; i--) if (data[i] !== 0) return i;
  return -1;
}

const wordViews = new WeakMap<Uint8Array, Uint32Array | null>();
/** A 32-bit view on the same bytes, indexed by byte index ÷ 4, when the array starts on a word boundary. */
function wordView(data: Uint8Array): Uint32Array | null {
  let view = wordViews.get(data);
  if (view === undefined) {
    view = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
    wordViews.set(data, view);
  }
  return view;
}

/**
 * Gaussian feather of a mask computed only inside `win`, which must reach 3σ beyond any change in the
 * mask (outside it the mask is constant, so clamped edges give the same result as a full-frame blur).
 */
export function blurMaskWithin(mask: Mask, sigma: number, win: PixelWindow): Mask {
  const { width } = mask;
  const w = win.x1 - win.x0, h = win.y1 - win.y0;
  const crop = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) crop.set(mask.data.subarray((win.y0 + y) * width + win.x0, (win.y0 + y) * width + win.x1), y * w);
  const blurred = blurMask(createMask(w, h, crop), sigma).data;
  const out = Uint8Array.from(mask.data);
  for (let y = 0; y < h; y++) out.set(blurred.subarray(y * w, (y + 1) * w), (win.y0 + y) * width + win.x0);
  return createMask(mask.width, mask.height, out);
}

/**
 * The mask grown by `margin` px, over `frame` (row by row, frame-sized): 1 where a pixel ≥ `threshold` lies
 * within `margin` px, a square reach, else 0. By running counts: one pass along the rows, one down the
 * columns, each O(1) a pixel whatever the margin.
 */
export function grownWithin(mask: Mask, margin: number, threshold: number, frame: PixelWindow = fullWindow(mask.width, mask.height)): Uint8Array {
  const fw = frame.x1 - frame.x0, fh = frame.y1 - frame.y0;
  const rows = new Uint8Array(fw * fh);
  for (let y = 0; y < fh; y++) {
    const src = (frame.y0 + y) * mask.width + frame.x0;
    let inWindow = 0;
    // The window [x − margin, x + margin]: add the pixel entering on the right, drop the one leaving on the left.
    for (let x = 0; x < Math.min(margin, fw); x++) if (mask.data[src + x] >= threshold) inWindow++;
    for (let x = 0; x < fw; x++) {
      if (x + margin < fw && mask.data[src + x + margin] >= threshold) inWindow++;
      if (x - margin - 1 >= 0 && mask.data[src + x - margin - 1] >= threshold) inWindow--;
      rows[y * fw + x] = inWindow > 0 ? 1 : 0;
    }
  }
  const out = new Uint8Array(fw * fh);
  const inWindow = new Int32Array(fw);
  for (let y = 0; y < Math.min(margin, fh); y++) for (let x = 0; x < fw; x++) inWindow[x] += rows[y * fw + x];
  for (let y = 0; y < fh; y++) {
    const enter = y + margin, leave = y - margin - 1;
    for (let x = 0; x < fw; x++) {
      if (enter < fh) inWindow[x] += rows[enter * fw + x];
      if (leave >= 0) inWindow[x] -= rows[leave * fw + x];
      out[y * fw + x] = inWindow[x] > 0 ? 1 : 0;
    }
  }
  return out;
}
