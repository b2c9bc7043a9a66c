/**
 * A rough selection the retoucher drew around one piece — a lasso or a marquee, as for Photoshop's Object
 * Selection. Loupe's mask model then looks only there (so a piece among others, or on a busy lifestyle
 * shot, is the one masked), and its mask stays inside the selection, grown by a small margin so that a
 * lasso drawn tight against a prong or a chain does not cut it off.
 */
import type { Mask } from '../image';
import { contentBounds, grownWithin, growWindow, type PixelWindow } from '../maskWindow';

export interface RoughSelection {
  /** The selection's bounds grown by the margin: where the mask may be, and what a small selection's own pass sees. */
  readonly frame: PixelWindow;
  /** Over `frame`, row by row: 1 where the mask may be (the selection grown by `margin`), else 0. */
  readonly allowed: Uint8Array;
  /** Pixels the mask may reach beyond the selection's edge. */
  readonly margin: number;
}

/** The margin, as a share of the selection's longer side (at least 2 px): 20 px around a 2 000 px lasso. */
export const SELECTION_MARGIN_SHARE = 0.01;

/**
 * What counts as selected: at least half (Photoshop draws its marching ants there), so a feathered lasso
 * reaches as far as it looks, not as far as its faintest feather.
 */
const SELECTED = 128;

/** Null when nothing is selected. */
export function roughSelectionOf(selection: Mask): RoughSelection | null {
  const bounds = contentBounds(selection, 0, SELECTED);
  if (!bounds) return null;
  const margin = Math.max(2, Math.round(SELECTION_MARGIN_SHARE * Math.max(bounds.x1 - bounds.x0, bounds.y1 - bounds.y0)));
  const frame = growWindow(bounds, margin, selection.width, selection.height);
  return { frame, allowed: grownWithin(selection, margin, SELECTED, frame), margin };
}

/** Clears every pixel of the (frame-sized) masks outside what the selection allows. */
export function keepInsideSelection(selection: RoughSelection, ...masks: Mask[]): void {
  const { frame, allowed } = selection;
  const fw = frame.x1 - frame.x0;
  for (const mask of masks) {
    const { width, height, data } = mask;
    data.fill(0, 0, frame.y0 * width);
    data.fill(0, frame.y1 * width, height * width);
    for (let y = frame.y0; y < frame.y1; y++) {
      const row = y * width, allowedRow = (y - frame.y0) * fw - frame.x0;
      data.fill(0, row, row + frame.x0);
      data.fill(0, row + frame.x1, row + width);
      for (let x = frame.x0; x < frame.x1; x++) if (allowed[allowedRow + x] === 0) data[row + x] = 0;
    }
  }
}

/**
 * Pixels of the mask (at least half on) on the line where the selection cut it: inside what the selection
 * allows, next to what it does not (the photo's own edge does not count). A piece found there reaches past
 * what the retoucher selected.
 */
export function pixelsOnSelectionEdge(mask: Mask, selection: RoughSelection): number {
  const { frame, allowed } = selection;
  const fw = frame.x1 - frame.x0, fh = frame.y1 - frame.y0;
  const outside = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= fw || y >= fh) {
      const px = frame.x0 + x, py = frame.y0 + y;
      return px >= 0 && py >= 0 && px < mask.width && py < mask.height; // beyond the frame but inside the photo
    }
    return allowed[y * fw + x] === 0;
  };
  let count = 0;
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      if (allowed[y * fw + x] === 0 || mask.data[(frame.y0 + y) * mask.width + frame.x0 + x] < 128) continue;
      if (outside(x - 1, y) || outside(x + 1, y) || outside(x, y - 1) || outside(x, y + 1)) count++;
    }
  }
  return count;
}
