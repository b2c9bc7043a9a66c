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
  const { width: FW, height: FH } = mask;
  if (nearBackdrop.length !== FW * FH) throw new Error(`the backdrop map is ${nearBackdrop.length} pixels, the mask ${FW * FH}`);
  const clearance = Math.max(0, options.clearance ?? 1);
  const enclosedShare = options.enclosedShare ?? 0.03;

  // Work within the mask's bounds and a pixel round them (the rest of a 24 MP frame is zero already). An area
  // of backdrop reaching those bounds counts as joined to the frame's edge: what the piece encloses lies within.
  let bx0 = FW, by0 = FH, bx1 = -1, by1 = -1, pieceArea = 0;
  for (let y = 0; y < FH; y++) {
    for (let x = 0; x < FW; x++) {
      const v = mask.data[y * FW + x];
      if (v === 0) continue;
      if (x < bx0) bx0 = x;
      if (x > bx1) bx1 = x;
      if (y < by0) by0 = y;
      if (y > by1) by1 = y;
      if (v >= 128) pieceArea++;
    }
  }
  if (bx1 < 0) return { cleared: 0 };
  bx0 = Math.max(0, bx0 - 1); by0 = Math.max(0, by0 - 1);
  bx1 = Math.min(FW - 1, bx1 + 1); by1 = Math.min(FH - 1, by1 + 1);
  const W = bx1 - bx0 + 1, H = by1 - by0 + 1, N = W * H;
  const frameIndex = (p: number) => (by0 + Math.floor(p / W)) * FW + bx0 + (p % W);

  // Distance (chamfer 1 and 4/3, in pixels) from the nearest pixel that is not backdrop.
  const far = 1e9;
  const dist = new Float32Array(N);
  for (let p = 0; p < N; p++) dist[p] = nearBackdrop[frameIndex(p)] ? far : 0;
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
  const label = new Int32Array(N);
  const stack = new Int32Array(N);
  const spared: boolean[] = [false];
  for (let seed = 0; seed < N; seed++) {
    if (label[seed] !== 0 || dist[seed] <= clearance) continue;
    const id = spared.length;
    let area = 0, touchesEdge = false, top = 0;
    label[seed] = id;
    stack[top++] = seed;
    while (top > 0) {
      const p = stack[--top];
      area++;
      const x = p % W, y = (p - x) / W;
      if (x === 0 || y === 0 || x === W - 1 || y === H - 1) touchesEdge = true;
      if (x > 0 && label[p - 1] === 0 && dist[p - 1] > clearance) { label[p - 1] = id; stack[top++] = p - 1; }
      if (x < W - 1 && label[p + 1] === 0 && dist[p + 1] > clearance) { label[p + 1] = id; stack[top++] = p + 1; }
      if (y > 0 && label[p - W] === 0 && dist[p - W] > clearance) { label[p - W] = id; stack[top++] = p - W; }
      if (y < H - 1 && label[p + W] === 0 && dist[p + W] > clearance) { label[p + W] = id; stack[top++] = p + W; }
    }
    spared.push(!touchesEdge && area < enclosedShare * pieceArea);
  }

  // Clear what is not spared, fading in over `clearance` pixels beyond the clearance.
  let cleared = 0;
  const fade = Math.max(1, clearance);
  for (let p = 0; p < N; p++) {
    const id = label[p];
    if (id === 0 || spared[id]) continue;
    const i = frameIndex(p);
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
  const { width: FW, height: FH } = mask;
  if (pieceMask.length !== FW * FH) throw new Error(`the finder's mask is ${pieceMask.length} pixels, the model's ${FW * FH}`);
  let bx0 = FW, by0 = FH, bx1 = -1, by1 = -1;
  for (let y = 0; y < FH; y++) {
    for (let x = 0; x < FW; x++) {
      if (mask.data[y * FW + x] < encloseAt) continue;
      if (x < bx0) bx0 = x;
      if (x > bx1) bx1 = x;
      if (y < by0) by0 = y;
      if (y > by1) by1 = y;
    }
  }
  if (bx1 < 0) return 0;
  // Anything reaching the mask's bounds is outside the piece, not a hole in it. Local copies of the bounds
  // (no index arithmetic per visit: on a 24 MP photo this ran 1.4 s a call with it).
  const W = bx1 - bx0 + 1, H = by1 - by0 + 1, N = W * H;
  const outside = new Uint8Array(N), piece = new Uint8Array(N);
  for (let y = 0; y < H; y++) {
    const from = (by0 + y) * FW + bx0;
    for (let x = 0; x < W; x++) {
      outside[y * W + x] = mask.data[from + x] < encloseAt ? 1 : 0;
      piece[y * W + x] = pieceMask[from + x] >= 128 ? 1 : 0;
    }
  }
  const label = new Int32Array(N);
  const stack = new Int32Array(N);
  const fill: boolean[] = [false];
  for (let seed = 0; seed < N; seed++) {
    if (label[seed] !== 0 || !outside[seed]) continue;
    const id = fill.length;
    let area = 0, seen = 0, open = false, top = 0;
    label[seed] = id;
    stack[top++] = seed;
    while (top > 0) {
      const p = stack[--top];
      area++;
      seen += piece[p];
      const x = p % W;
      if (x === 0 || x === W - 1 || p < W || p >= N - W) open = true;
      if (x > 0 && label[p - 1] === 0 && outside[p - 1]) { label[p - 1] = id; stack[top++] = p - 1; }
      if (x < W - 1 && label[p + 1] === 0 && outside[p + 1]) { label[p + 1] = id; stack[top++] = p + 1; }
      if (p >= W && label[p - W] === 0 && outside[p - W]) { label[p - W] = id; stack[top++] = p - W; }
      if (p < N - W && label[p + W] === 0 && outside[p + W]) { label[p + W] = id; stack[top++] = p + W; }
    }
    fill.push(!open && seen >= pieceShare * area);
  }
  const at = (p: number) => (by0 + Math.floor(p / W)) * FW + bx0 + (p % W);
  let added = 0;
  for (let p = 0; p < N; p++) {
    if (!fill[label[p]]) continue;
    const i = at(p);
    if (pieceMask[i] > mask.data[i]) { mask.data[i] = pieceMask[i]; added++; }
  }
  return added;
}
