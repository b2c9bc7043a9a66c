/**
 * Corrections a plain backdrop allows to the model's jewelry mask, where the plain-backdrop finder
 * (plainBackdropMask.ts) accepts the backdrop:
 *  - clearFlatBackdrop: clears pixels within a few levels of the backdrop (the finder's nearBackdrop) and farther
 *    than a small clearance from anything that is not;
 *  - fillPieceHoles: fills holes the mask encloses where the finder sees the piece.
 *
 * Why: the network (0.45 M parameters, trained on renders of rings, chains and studs) fills the backdrop between
 * and inside pieces it has not seen the like of — between two drop earrings, inside stacked bangles and a pearl
 * strand's loops — draws necklaces as bands several beads wide, and keeps only the rim of a pearl (a smooth
 * bright body inside an outline reads to it as a ring's hole). On a plain backdrop the photo itself says which
 * pixels are backdrop. What it cannot say is whether a pixel as white as the backdrop is a blown highlight on
 * the metal: those lie in small areas enclosed by the piece, so enclosed areas smaller than a share of the piece
 * are left to the network.
 *
 * Pure TypeScript, no host imports.
 */

import { createRgba8, type Mask, type RgbaImage } from '../image';
import { labelComponents } from './connectedComponents';
import { PlainBackdropError, segmentOnPlainBackdrop } from './plainBackdropMask';

/**
 * Longest side at which the finder reads a photo for these corrections. On a 24 MP photo its full-resolution
 * pass cost about 7 s (the whole `loupe mask` went 3.7 → 11 s); at this size a pixel of it is 3 of the photo's,
 * while one cell of the network's zoomed pass is 10–20 of them, so nothing the network drew is lost to it.
 */
export const PLAIN_BACKDROP_SIDE = 2048;

/** The finder's reading at the photo's size: nearBackdrop (1 = plainly backdrop) and its jewelry mask (0..255). */
export interface PlainBackdropReading { readonly nearBackdrop: Uint8Array; readonly pieceMask: Uint8Array }

/**
 * The plain-backdrop finder's reading of a photo for the corrections below, or null where it finds no plain
 * backdrop (or nothing on it). Photos longer than PLAIN_BACKDROP_SIDE are read box-averaged by a whole factor
 * and the maps brought back to the photo's size (nearest pixel).
 */
export function readPlainBackdrop(image: RgbaImage): PlainBackdropReading | null {
  const { width: W, height: H } = image;
  const f = Math.max(1, Math.ceil(Math.max(W, H) / PLAIN_BACKDROP_SIDE));
  const read = f === 1 ? image : boxShrink(image, f);
  let found;
  try {
    found = segmentOnPlainBackdrop(read);
  } catch (error) {
    if (error instanceof PlainBackdropError) return null;
    throw error;
  }
  if (f === 1) return { nearBackdrop: found.nearBackdrop, pieceMask: found.mask.data };
  const w = read.width, nearBackdrop = new Uint8Array(W * H), pieceMask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < W; x++) {
      const j = row + Math.floor(x / f);
      nearBackdrop[y * W + x] = found.nearBackdrop[j];
      pieceMask[y * W + x] = found.mask.data[j];
    }
  }
  return { nearBackdrop, pieceMask };
}

/** The photo box-averaged by a whole factor, as 8-bit RGBA. */
function boxShrink(image: RgbaImage, f: number): RgbaImage {
  const { width: W, height: H, data } = image;
  const w = Math.ceil(W / f), h = Math.ceil(H / f);
  const sum = new Float32Array(w * h * 3), count = new Float32Array(w * h);
  const scale = image.depth === 8 ? 1 : 1 / 257;
  for (let y = 0; y < H; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < W; x++) {
      const j = row + Math.floor(x / f), i = (y * W + x) * 4;
      sum[j * 3] += data[i]; sum[j * 3 + 1] += data[i + 1]; sum[j * 3 + 2] += data[i + 2];
      count[j]++;
    }
  }
  const out = new Uint8Array(w * h * 4);
  for (let j = 0; j < w * h; j++) {
    const k = scale / count[j];
    out[j * 4] = Math.round(sum[j * 3] * k);
    out[j * 4 + 1] = Math.round(sum[j * 3 + 1] * k);
    out[j * 4 + 2] = Math.round(sum[j * 3 + 2] * k);
    out[j * 4 + 3] = 255;
  }
  return createRgba8(w, h, out);
}

export interface ClearFlatBackdropOptions {
  /**
   * Pixels of backdrop within this distance of something that is not backdrop are left to the network
   * (default 1): the piece's antialiased edge. The mask fades out over as many pixels again beyond it.
   * Measured 1, 2 and 3 px (model card, *Plain backdrops*): 1 px gave the real photos' best figures.
   */
  readonly clearance?: number;
  /**
   * Areas of backdrop enclosed by the piece (not reaching the edge of the mask's bounds) smaller than this share
   * of the piece's area are left to the network (default 0.03): blown highlights on the metal as white as the
   * backdrop. Larger ones (a ring's hole, the inside of a bangle or a strand's loop) are cleared. At 0.01
   * the synthetic scenes' blown metal was cut (median IoU 0.904 → 0.896), at 0.1 ring holes the network
   * filled stayed filled (real median 0.802 → 0.791).
   */
  readonly enclosedShare?: number;
}

export interface ClearFlatBackdropResult {
  /** Pixels whose alpha was lowered. */
  readonly cleared: number;
}

/**
 * Lowers `mask` (and `stones`, kept within it) in place where `nearBackdrop` says backdrop, away from
 * everything else. `nearBackdrop` is W×H, 1 = within a few levels of the backdrop.
 */
export function clearFlatBackdrop(mask: Mask, stones: Mask | null, nearBackdrop: Uint8Array, options: ClearFlatBackdropOptions = {}): ClearFlatBackdropResult {
  if (nearBackdrop.length !== mask.data.length) throw new Error(`the backdrop map is ${nearBackdrop.length} pixels, the mask ${mask.data.length}`);
  const clearance = Math.max(0, options.clearance ?? 1);
  const enclosedShare = options.enclosedShare ?? 0.03;

  // Work within the mask's bounds and a pixel round them (the rest of a 24 MP frame is zero already). An area
  // of backdrop reaching those bounds counts as joined to the frame's edge: what the piece encloses lies within.
  const b = boundsAtLeast(mask, 1);
  if (!b) return { cleared: 0 };
  let pieceArea = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] >= 128) pieceArea++;
  const { W, H, N } = b;

  // Distance (chamfer 1 and 4/3, in pixels) from the nearest pixel that is not backdrop.
  const near = b.copy(nearBackdrop), dist = new Float32Array(N);
  for (let p = 0; p < N; p++) dist[p] = near[p] ? 1e9 : 0; // (TypedArray.from with a map costs seconds at 24 MP)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (dist[p] === 0) continue;
      let d = dist[p];
      if (x > 0) d = Math.min(d, dist[p - 1] + 1);
      if (y > 0) {
        d = Math.min(d, dist[p - W] + 1);
        if (x > 0) d = Math.min(d, dist[p - W - 1] + 4 / 3);
        if (x < W - 1) d = Math.min(d, dist[p - W + 1] + 4 / 3);
      }
      dist[p] = d;
    }
  }
  for (let y = H - 1; y >= 0; y--) {
    for (let x = W - 1; x >= 0; x--) {
      const p = y * W + x;
      if (dist[p] === 0) continue;
      let d = dist[p];
      if (x < W - 1) d = Math.min(d, dist[p + 1] + 1);
      if (y < H - 1) {
        d = Math.min(d, dist[p + W] + 1);
        if (x < W - 1) d = Math.min(d, dist[p + W + 1] + 4 / 3);
        if (x > 0) d = Math.min(d, dist[p + W - 1] + 4 / 3);
      }
      dist[p] = d;
    }
  }

  // Areas of backdrop beyond the clearance (4-connected), each joined to the edge or enclosed.
  const beyond = new Uint8Array(N);
  for (let p = 0; p < N; p++) beyond[p] = dist[p] > clearance ? 1 : 0;
  const label = new Int32Array(N);
  const areas = labelComponents(beyond, 1, W, H, false, label, new Int32Array(N));
  const spared = areas.map((c) => !c.touchesBorder && c.area < enclosedShare * pieceArea);

  // Clear what is not spared, fading in over `clearance` pixels beyond the clearance.
  let cleared = 0;
  const fade = Math.max(1, clearance);
  for (let p = 0; p < N; p++) {
    const id = label[p];
    if (id === 0 || spared[id - 1]) continue;
    const i = b.frameIndex(p);
    if (mask.data[i] === 0) continue;
    const keep = Math.max(0, Math.min(1, (clearance + fade - dist[p]) / fade));
    const v = Math.round(mask.data[i] * keep);
    if (v !== mask.data[i]) {
      mask.data[i] = v;
      if (stones) stones.data[i] = Math.min(stones.data[i], v);
      cleared++;
    }
  }
  return { cleared };
}

/**
 * Fills the holes of the model's mask — areas below `encloseAt` that the mask encloses — where the plain-backdrop
 * finder's mask (`pieceMask`, 255 = jewelry) says the photo shows the piece over at least `pieceShare` of the
 * hole. The network, never having seen pearls, took a pearl's smooth body for a ring's hole and kept only its
 * rim; the finder sees it unlike the backdrop. Real holes (a ring's, a link's) show the backdrop, which the
 * finder leaves out (its shadows too), so they stay; a hole tinted by the metal round it (a gold ring's glow on
 * white) does not. Inside a filled hole the mask takes the finder's alpha. A rim drawn faintly in places
 * encloses nothing at 128: segmentWithModel fills at 128, then at 32. Returns the number of pixels added.
 */
export function fillPieceHoles(mask: Mask, pieceMask: Uint8Array, pieceShare = 0.9, encloseAt = 128): number {
  if (pieceMask.length !== mask.data.length) throw new Error(`the finder's mask is ${pieceMask.length} pixels, the model's ${mask.data.length}`);
  const b = boundsAtLeast(mask, encloseAt);
  if (!b) return 0;
  // Anything reaching the mask's bounds (and the pixel round them) is outside the piece, not a hole in it.
  const { N } = b;
  const outside = b.copy(mask.data);
  for (let p = 0; p < N; p++) outside[p] = outside[p] < encloseAt ? 1 : 0;
  const label = new Int32Array(N);
  const areas = labelComponents(outside, 1, b.W, b.H, false, label, new Int32Array(N));
  const onPiece = new Float64Array(areas.length);
  const piece = b.copy(pieceMask);
  for (let p = 0; p < N; p++) if (label[p] > 0 && piece[p] >= 128) onPiece[label[p] - 1]++;
  const fill = areas.map((c, k) => !c.touchesBorder && onPiece[k] >= pieceShare * c.area);
  let added = 0;
  for (let p = 0; p < N; p++) {
    if (label[p] === 0 || !fill[label[p] - 1]) continue;
    const i = b.frameIndex(p);
    if (pieceMask[i] > mask.data[i]) { mask.data[i] = pieceMask[i]; added++; }
  }
  return added;
}

/** The bounds of the mask's pixels at or above `atLeast`, a pixel round them, and how to read a plane there. */
interface Bounds {
  readonly W: number; readonly H: number; readonly N: number;
  /** The frame's index of the bounds' pixel p. */
  frameIndex(p: number): number;
  /** A frame-sized plane's values within the bounds. */
  copy(plane: Uint8Array): Uint8Array;
}

function boundsAtLeast(mask: Mask, atLeast: number): Bounds | null {
  const { width: FW, height: FH, data } = mask;
  let x0 = FW, y0 = FH, x1 = -1, y1 = -1;
  for (let y = 0; y < FH; y++) {
    for (let x = 0; x < FW; x++) {
      if (data[y * FW + x] < atLeast) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return null;
  x0 = Math.max(0, x0 - 1); y0 = Math.max(0, y0 - 1);
  x1 = Math.min(FW - 1, x1 + 1); y1 = Math.min(FH - 1, y1 + 1);
  const W = x1 - x0 + 1, H = y1 - y0 + 1;
  return {
    W, H, N: W * H,
    frameIndex: (p) => (y0 + Math.floor(p / W)) * FW + x0 + (p % W),
    copy(plane) {
      const out = new Uint8Array(W * H);
      for (let y = 0; y < H; y++) out.set(plane.subarray((y0 + y) * FW + x0, (y0 + y) * FW + x0 + W), y * W);
      return out;
    },
  };
}
