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

/** Bounds of the pixels ≥ threshold, grown by margin and clipped to the canvas; null when there are none. */
export function contentBounds(mask: Mask, margin = 0, threshold = 1): PixelWindow | null {
  const { width, height, data } = mask;
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1, last = -1;
    for (let x = 0; x < width; x++) if (data[row + x] >= threshold) { first = x; break; }
    if (first < 0) continue;
    for (let x = width - 1; x >= first; x--) if (data[row + x] >= threshold) { last = x; break; }
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
    if (y0 === height) y0 = y;
    y1 = y;
  }
  if (x1 < 0) return null;
  return {
    x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin),
    x1: Math.min(width, x1 + 1 + margin), y1: Math.min(height, y1 + 1 + margin),
  };
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
