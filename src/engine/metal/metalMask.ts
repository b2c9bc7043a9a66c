/**
 * Where the metal is: the jewelry mask without the stones.
 *
 * With a stones mask (from the retoucher or the model) that is exact. Without one, stones are told
 * apart by colour: metal pixels share the metal's chromaticity (its F0 × a neutral studio), while
 * coloured stones, and diamonds set in yellow or rose gold, sit far from it. Dark and clipped pixels
 * carry no chromaticity and stay with the metal. Diamonds in white metal cannot be told apart by colour
 * and stay in (they take the same cast correction, which is right for a diamond anyway).
 */
import { SRGB8_TO_LINEAR, srgb16ToLinearTable } from '../color';
import { featherMask1px } from '../gaussianBlur';
import { contentBounds, growWindow, type PixelWindow } from '../maskWindow';
import { createMask, type Mask, type RgbaImage } from '../image';

export interface MetalMaskOptions {
  readonly stonesMask?: Mask;
  /** Include stones in the correction (off by default: stones are left untouched). */
  readonly includeStones?: boolean;
  /** Median linear G/R and B/R of the metal, from measureMetal on the jewelry mask. */
  readonly metalGr: number;
  readonly metalBr: number;
}

/** Log-chromaticity distance under which a pixel is metal, and over which it is a stone. */
const NEAR = 0.28, FAR = 0.5;

/** `within`: a window holding the whole piece (default: the jewelry mask's content bounds). */
export function buildMetalMask(image: RgbaImage, jewelryMask: Mask, options: MetalMaskOptions, within?: PixelWindow): Mask {
  const { width, height } = image;
  const j = jewelryMask.data;
  const out = new Uint8Array(width * height);
  if (options.includeStones) {
    out.set(j);
    return createMask(width, height, out);
  }
  const win = within ?? contentBounds(jewelryMask);
  if (!win) return createMask(width, height, out);
  if (options.stonesMask) {
    const s = options.stonesMask.data;
    for (let y = win.y0; y < win.y1; y++) {
      for (let i = y * width + win.x0, end = y * width + win.x1; i < end; i++) out[i] = (j[i] * (255 - s[i]) + 127) / 255;
    }
    return createMask(width, height, out);
  }
  const table = image.depth === 8 ? SRGB8_TO_LINEAR : srgb16ToLinearTable();
  const logTable = new Float32Array(table.length);
  for (let i = 0; i < table.length; i++) logTable[i] = Math.log(Math.max(table[i], 1e-4));
  const data = image.data;
  const clip = image.depth === 8 ? 250 : 250 * 257, dark = image.depth === 8 ? 40 : 40 * 257;
  const lgr = Math.log(options.metalGr), lbr = Math.log(options.metalBr);
  // Membership is decided unfeathered, then softened by 1 px so the layer mask has no stair steps. It is
  // worked out on a crop around the piece (the 1 px feather reaches 2 px); outside the piece counts as metal,
  // so the feather does not eat into the silhouette (× jewelry below).
  const crop = growWindow(win, 4, width, height);
  const cw = crop.x1 - crop.x0, ch = crop.y1 - crop.y0;
  const member = new Uint8Array(cw * ch).fill(255);
  for (let y = win.y0; y < win.y1; y++) {
    const row = (y - crop.y0) * cw - crop.x0;
    for (let x = win.x0; x < win.x1; x++) {
      const i = y * width + x;
      if (j[i] === 0) continue;
      const p = i * 4, r = data[p], g = data[p + 1], b = data[p + 2];
      const hi = Math.max(r, g, b);
      if (hi >= clip || hi <= dark) continue;
      const lr = logTable[r];
      const dg = logTable[g] - lr - lgr, db = logTable[b] - lr - lbr;
      const d = Math.sqrt(dg * dg + db * db);
      member[row + x] = d <= NEAR ? 255 : d >= FAR ? 0 : Math.round((255 * (FAR - d)) / (FAR - NEAR));
    }
  }
  const soft = featherMask1px(createMask(cw, ch, member)).data;
  for (let y = win.y0; y < win.y1; y++) {
    const row = (y - crop.y0) * cw - crop.x0;
    for (let x = win.x0; x < win.x1; x++) {
      const i = y * width + x;
      out[i] = (j[i] * soft[row + x] + 127) / 255;
    }
  }
  return createMask(width, height, out);
}
