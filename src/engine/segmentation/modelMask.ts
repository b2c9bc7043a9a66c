/**
 * The jewelry mask from Loupe's own network, at the photo's full resolution.
 *
 * The network sees a small image (hundreds of pixels), the photo may have 24 MP, and a chain link may be a
 * few pixels wide. So, in three steps:
 *  1. coarse: the whole frame at about 512 px finds where the piece is (and its metal family);
 *  2. zoom: the piece's bounds, seen again at 320 px (never magnified: the model was trained on pieces up to
 *     about 500 px across, and measured best so), as seen, mirrored and upside down, averaged, give the
 *     outline with chains, prongs and ring holes;
 *  3. refine: a guided filter with the photo itself as guide snaps that outline to the photo's edges at
 *     full resolution;
 *  4. on a plain backdrop, what the photo shows is plainly backdrop is cleared, and holes in the mask where it
 *     shows the piece are filled (plainBackdropCorrections.ts).
 * Given a rough selection around one piece (`within`), the zoomed pass looks only at what the coarse pass finds
 * inside it (a small selection in a large photo gets a coarse pass of its own), and the mask stays inside it
 * (roughSelection.ts).
 * The network is injected (any runtime: onnxruntime-web in Node, the browser or UXP), so this stays pure.
 */
import { guidedFilter } from '../guidedFilter';
import { createMask, type Mask, type RgbaImage } from '../image';
import type { MetalFamily } from '../metal/metalCatalog';
import { resizePlane } from '../resample';
import { clearFlatBackdrop, fillPieceHoles, readPlainBackdrop } from './plainBackdropCorrections';
import { keepInsideSelection, pixelsOnSelectionEdge, roughSelectionOf, type RoughSelection } from './roughSelection';

export interface MaskNetwork {
  /** Sizes fed to run() must be multiples of this. */
  readonly multiple: number;
  /**
   * Run on a planar RGB tensor (sRGB 0..1, plane after plane, width × height each). Returns the logits of
   * jewelry and stones (two planes of width × height) and of the metal family (yellow gold, rose gold,
   * white metal).
   */
  run(planes: Float32Array, width: number, height: number): Promise<{ logits: Float32Array; family: Float32Array }>;
}

export interface ModelMaskOptions {
  /** Long side of the coarse pass (default 512). */
  readonly coarseSide?: number;
  /**
   * Long side of the zoomed pass on the piece (default 320: the size at which the piece's scale matches what
   * the model was trained on; measured best of 256–512 on synthetic and real photos, see the model card).
   */
  readonly zoomSide?: number;
  /** The zoomed pass's margin round the piece's coarse bounds, a share of their longer side (default 0.08), plus 4 cells. */
  readonly zoomMargin?: number;
  /** Largest magnification of the zoomed pass for small pieces (default 1). */
  readonly maxMagnification?: number;
  /**
   * Views of the piece the zoomed pass averages (default 4): 1 as seen; 2 also mirrored; 4 also upside down,
   * mirrored and not. A small network's misses are not symmetric, so the average fills a share of them, for
   * one more inference a view. Measured with 0.4.0 (synthetic / real median IoU): 2 views 0.802 / 0.744,
   * 4 views 0.855 / 0.782; adding the four transposed views lowered it again (0.825 / 0.759): chains hang and
   * shadows fall down, and a piece on its side is a scene the model never saw.
   */
  readonly views?: 1 | 2 | 4;
  /**
   * Edge refinement at full resolution, where the zoomed pass was shrunk: the guided filter's ε (guide in 0..1),
   * or 0 for none (default 0.001), and its radius in cells of the zoomed pass (default 1). Until 2026-12-05 it
   * was ε 0.01 over 2 cells, guided by luminance: on twelve renders at 2048² (scripts/eval-mask-resolution.ts)
   * that smoothed thin chains away — mean IoU 0.711 against 0.740 with no filter and 0.746 now (a chain on skin
   * 0.350 → 0.487), and now the outline follows the photo's edges closer than with none (boundary F 0.534
   * against 0.500). On the evaluation photos (≤ 1920 px) all measure the same within 0.001 of a median.
   */
  readonly refineEpsilon?: number;
  readonly refineRadius?: number;
  /**
   * What guides that filter (default 'backdrop-distance'): each pixel's colour distance from the backdrop (the
   * median colour of what the zoomed pass is sure is backdrop), or its luminance ('luma', until 2026-12-05).
   * Polished metal is both darker and brighter than its backdrop, and a filter fits the mask as a line in its
   * guide over each window: in luminance a chain of shadowed and lit links fits none and came out as backdrop
   * (IoU 0.42 in the test's drawn chain; 0.91 by distance); on the 2048² renders mean IoU 0.739 → 0.746,
   * boundary F 0.519 → 0.534. Luminance is the fallback where no pixel is surely backdrop.
   */
  readonly refineGuide?: 'backdrop-distance' | 'luma';
  /**
   * How the network's probability becomes the mask's alpha: its slope about 0.5 (default 3; 1 writes the
   * probability as it is). The probability is a confidence, not coverage: written as it is, the backdrop
   * around the piece carries a fog of 0.1–0.4 that Retouch metal's layers tint (143 000 backdrop pixels, by
   * 3.6 levels on average, on the 24 synthetic scenes: no longer pure white) and a cut-out keeps as a halo.
   * At ×3 that is about 21 000 pixels, and the soft mask's error against the exact antialiased one halves; the cut
   * at 0.5, and so every IoU, is unchanged (model card, "Soft edges").
   */
  readonly alphaContrast?: number;
  /**
   * On a photo whose backdrop the plain-backdrop finder accepts, clear the mask where the photo is within a few
   * levels of that backdrop and more than a pixel from anything else (default true; plainBackdropCorrections.ts).
   * The network fills the backdrop between and inside pieces unlike its training (drop earrings, bangles, a pearl
   * strand's loops) and draws bead necklaces as wide bands; see the model card's *Plain backdrops*.
   */
  readonly flatBackdrop?: boolean;
  /**
   * With flatBackdrop, also fill the mask's holes where the finder sees the piece over 90 % of the hole (default
   * true): the network kept only a pearl's rim.
   */
  readonly fillPieceHoles?: boolean;
  /**
   * A rough selection around one piece (255 = selected; a lasso or marquee, as for Photoshop's Object
   * Selection). The zoomed pass then looks only at what the coarse pass finds inside it, and the mask stays
   * inside the selection grown by 1 % of its size (roughSelection.ts). Where the network found only the piece,
   * a selection around it changes nothing but what lies outside it.
   */
  readonly within?: Mask;
  readonly signal?: AbortSignal;
  /** 0..1 as the passes complete. */
  readonly onProgress?: (fraction: number) => void;
}

export type { MetalFamily };
/** The order of the network's family output. */
export const METAL_FAMILIES: readonly MetalFamily[] = ['yellow-gold', 'rose-gold', 'white-metal'];

export interface ModelMaskResult {
  /** 255 = jewelry, soft edges; all 0 when no jewelry was found (see `found`). */
  readonly mask: Mask;
  /** 255 = stone (within the jewelry). */
  readonly stones: Mask;
  readonly found: boolean;
  /** Probabilities of the metal families, in METAL_FAMILIES order. */
  readonly family: readonly number[];
  /** Fraction of the frame covered by jewelry (mask ≥ 128). */
  readonly coverage: number;
  readonly warnings: readonly string[];
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * Share of the frame above which a mask is more likely the model taking in the surroundings than a piece: on
 * the evaluation photos pieces fill at most 38 % (a watch on white, cropped tight); a lifestyle shot of a wrist
 * at a laptop came out 68 %, the laptop and desk with it. Said, not refused: a macro shot can fill the frame.
 */
const LARGE_COVERAGE = 0.5;

/** See ModelMaskOptions.alphaContrast. */
const DEFAULT_ALPHA_CONTRAST = 3;

interface Region { readonly x: number; readonly y: number; readonly w: number; readonly h: number }

export async function segmentWithModel(image: RgbaImage, network: MaskNetwork, options: ModelMaskOptions = {}): Promise<ModelMaskResult> {
  const { width, height } = image;
  if (width < 16 || height < 16) throw new Error(`the photo is ${width}×${height}: too small to find jewelry in (at least 16×16)`);
  const coarseSide = options.coarseSide ?? 512, zoomSide = options.zoomSide ?? 320;
  const check = () => { if (options.signal?.aborted) throw new CancelledError(); };
  const warnings: string[] = [];
  if (options.within && (options.within.width !== width || options.within.height !== height)) {
    throw new Error(`the selection is ${options.within.width}×${options.within.height} px but the photo is ${width}×${height} px: give a selection made on this photo`);
  }
  const selection = options.within ? roughSelectionOf(options.within) : null;
  if (options.within && !selection) throw new Error('the selection is empty: draw a rough selection around the piece, or deselect to let Loupe look at the whole photo');
  const nothing = selection ? 'no jewelry found inside the selection' : 'no jewelry found in the frame';

  // 1. Coarse: the whole frame finds where the piece is (inside the selection, if any), and its metal family.
  check();
  const whole: Region = { x: 0, y: 0, w: width, h: height };
  const coarse = await runOn(image, whole, coarseSide / Math.max(width, height), network);
  options.onProgress?.(0.3);
  const family = softmax(coarse.family);
  const zoomMargin = options.zoomMargin ?? 0.08;
  let region = zoomRegionOf(coarse, whole, selection, width, height, zoomMargin);
  // A selection the whole frame's pass sees only a few cells across (a small piece in a large photo) is looked
  // at again on its own, at most at its own size: magnified, a selection drawn tight would show the piece larger
  // than any the model was trained on.
  if (selection && (!region || Math.max(selection.frame.x1 - selection.frame.x0, selection.frame.y1 - selection.frame.y0) * coarse.width / width < SMALL_SELECTION_CELLS)) {
    check();
    const frame: Region = { x: selection.frame.x0, y: selection.frame.y0, w: selection.frame.x1 - selection.frame.x0, h: selection.frame.y1 - selection.frame.y0 };
    const again = await runOn(image, frame, Math.min(1, coarseSide / Math.max(frame.w, frame.h)), network);
    region = zoomRegionOf(again, frame, selection, width, height, zoomMargin);
  }
  if (!region) return nothingFound(width, height, family, nothing);
  const x0 = region.x, y0 = region.y, x1 = region.x + region.w, y1 = region.y + region.h;
  if (x0 === 0 || y0 === 0 || x1 === width || y1 === height) warnings.push('the piece touches the frame edge: it may be cut off');
  const zoomScale = Math.min(options.maxMagnification ?? 1, zoomSide / Math.max(region.w, region.h));
  check();
  const zoom = await runOn(image, region, zoomScale, network, options.views ?? 4);
  options.onProgress?.(0.75);

  // 3. Refine at full resolution inside the region, guided by the photo's luminance.
  check();
  const up = resizePlane(zoom.jewelry, zoom.width, zoom.height, region.w, region.h);
  const upStones = resizePlane(zoom.stones, zoom.width, zoom.height, region.w, region.h);
  const guide = (options.refineGuide ?? 'backdrop-distance') === 'backdrop-distance'
    ? backdropDistanceOf(image, region, up) ?? lumaOf(image, region)
    : lumaOf(image, region);
  const pixelsPerCell = region.w / zoom.width;
  const epsilon = options.refineEpsilon ?? 0.001;
  const contrast = options.alphaContrast ?? DEFAULT_ALPHA_CONTRAST;
  const radius = Math.max(1, Math.round((options.refineRadius ?? 1) * pixelsPerCell));
  const refined = pixelsPerCell > 1.25 && epsilon > 0
    ? guidedFilter(guide, up, region.w, region.h, { radius, epsilon, subsample: Math.max(1, Math.floor(pixelsPerCell / 2)) })
    : up;
  const mask = createMask(width, height), stones = createMask(width, height);
  for (let y = 0; y < region.h; y++) {
    for (let x = 0; x < region.w; x++) {
      const k = y * region.w + x, i = (region.y + y) * width + region.x + x;
      const v = Math.round(255 * Math.min(1, Math.max(0, (refined[k] - 0.5) * contrast + 0.5)));
      mask.data[i] = v;
      stones.data[i] = Math.round(v * Math.min(1, Math.max(0, upStones[k])));
    }
  }
  // 4. On a plain backdrop, what is plainly backdrop is not jewelry, and the piece the photo shows inside the
  //    mask's holes is (plainBackdropCorrections.ts).
  if (options.flatBackdrop ?? true) {
    check();
    const plain = readPlainBackdrop(image);
    options.onProgress?.(0.9);
    check();
    if (plain) {
      clearFlatBackdrop(mask, stones, plain.nearBackdrop);
      if (options.fillPieceHoles ?? true) {
        fillPieceHoles(mask, plain.pieceMask, 0.9, 128);
        fillPieceHoles(mask, plain.pieceMask, 0.9, 32); // a rim drawn faintly in places (a pearl's) encloses too
      }
    }
  }
  if (selection) {
    keepInsideSelection(selection, mask, stones);
    if (pixelsOnSelectionEdge(mask, selection) >= SELECTION_CUT_PIXELS) {
      warnings.push('the piece reaches the edge of the selection, so it may be cut off there: select a little wider around it');
    }
  }
  let covered = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] >= 128) covered++;
  options.onProgress?.(1);
  if (covered === 0) return nothingFound(width, height, family, nothing);
  const coverage = covered / (width * height);
  // Inside a selection the retoucher has bounded the piece: filling most of the photo is then theirs to choose.
  if (!selection && coverage > LARGE_COVERAGE) {
    warnings.push(`the mask covers ${Math.round(100 * coverage)} % of the photo, more than a piece usually fills: check it before use (the model may have taken in its surroundings)`);
  }
  return { mask, stones, found: true, family, coverage, warnings };
}

/**
 * The metal family alone: the coarse pass on the whole frame (where segmentWithModel reads it too), one
 * inference instead of five, for a piece whose mask the retoucher already gave.
 */
export async function readMetalFamily(image: RgbaImage, network: MaskNetwork, options: Pick<ModelMaskOptions, 'coarseSide' | 'signal'> = {}): Promise<readonly number[] | null> {
  if (image.width < 16 || image.height < 16) return null; // too small for the model to read anything from
  if (options.signal?.aborted) throw new CancelledError();
  return softmax((await wholeFramePass(image, network, options.coarseSide ?? 512)).family);
}

/** The network on the whole frame, its long side brought to `side`. */
function wholeFramePass(image: RgbaImage, network: MaskNetwork, side: number): Promise<Prediction> {
  return runOn(image, { x: 0, y: 0, w: image.width, h: image.height }, side / Math.max(image.width, image.height), network);
}

/** Family probabilities (METAL_FAMILIES order) by name, as the metal engine takes them. */
export function familyByName(family: readonly number[]): Record<MetalFamily, number> {
  return { 'yellow-gold': family[0], 'rose-gold': family[1], 'white-metal': family[2] };
}

/** Empty masks, said plainly: never a silent full-frame mask. */
function nothingFound(width: number, height: number, family: readonly number[], why: string): ModelMaskResult {
  return { mask: createMask(width, height), stones: createMask(width, height), found: false, family, coverage: 0, warnings: [why] };
}

/**
 * Cells across, in the whole frame's coarse pass, under which a selection is looked at again on its own: a
 * piece in it would be a few dozen cells at most, too few for its bounds (a selection of 1 100 px in a
 * 6 000 px photo has 96).
 */
const SMALL_SELECTION_CELLS = 96;

/**
 * 2. Where the zoomed pass looks, in photo pixels: the bounds of what a coarse pass over `frame` finds likely
 * (p ≥ 0.3; inside the selection, if any), with a margin of `share` (8 % by default) and 4 cells. The margin may reach beyond the
 * selection, so that the network sees the piece at the scale and with the surround it sees without one (and a
 * selection around the piece changes nothing but what lies outside it). Null when nothing is likely.
 */
function zoomRegionOf(coarse: Prediction, frame: Region, selection: RoughSelection | null, width: number, height: number, share: number): Region | null {
  const sx = frame.w / coarse.width, sy = frame.h / coarse.height;
  if (selection) keepCellsInsideSelection(coarse.jewelry, coarse.width, coarse.height, frame, sx, sy, selection);
  const piece = probableBounds(coarse.jewelry, coarse.width, coarse.height, 0.3);
  if (!piece) return null;
  const margin = share * Math.max(piece.x1 - piece.x0, piece.y1 - piece.y0) + 4;
  const x0 = Math.max(0, frame.x + Math.floor((piece.x0 - margin) * sx)), y0 = Math.max(0, frame.y + Math.floor((piece.y0 - margin) * sy));
  const x1 = Math.min(width, frame.x + Math.ceil((piece.x1 + margin) * sx)), y1 = Math.min(height, frame.y + Math.ceil((piece.y1 + margin) * sy));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * Pixels of the mask on the selection's edge from which it says the piece may be cut off there: fewer are the
 * soft rim of a piece that only touches the line.
 */
const SELECTION_CUT_PIXELS = 4;

/** Clears the cells of a pass over `frame` whose centre lies outside what the selection allows. */
function keepCellsInsideSelection(plane: Float32Array, w: number, h: number, frame: Region, sx: number, sy: number, selection: RoughSelection): void {
  const { x0, y0, x1, y1 } = selection.frame, fw = x1 - x0;
  for (let y = 0; y < h; y++) {
    const py = frame.y + Math.floor((y + 0.5) * sy);
    for (let x = 0; x < w; x++) {
      const px = frame.x + Math.floor((x + 0.5) * sx);
      const inside = px >= x0 && px < x1 && py >= y0 && py < y1 && selection.allowed[(py - y0) * fw + px - x0] === 1;
      if (!inside) plane[y * w + x] = 0;
    }
  }
}

interface Prediction { readonly jewelry: Float32Array; readonly stones: Float32Array; readonly family: Float32Array; readonly width: number; readonly height: number }

/**
 * Runs the network on a region of the photo resized by `scale` (to multiples of the network's size step),
 * averaged over the first `views` of: as seen, mirrored, upside down, both.
 */
async function runOn(image: RgbaImage, region: Region, scale: number, network: MaskNetwork, views = 1): Promise<Prediction> {
  const m = network.multiple;
  const tw = Math.max(m, Math.round((region.w * scale) / m) * m), th = Math.max(m, Math.round((region.h * scale) / m) * m);
  const planes = regionToPlanes(image, region, tw, th);
  const n = tw * th;
  const jewelry = new Float32Array(n), stones = new Float32Array(n);
  const chosen = VIEWS.slice(0, views);
  let family = new Float32Array(3);
  for (const view of chosen) {
    const where = viewIndex(view, tw, th);
    const input = new Float32Array(planes.length);
    for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) input[c * n + where[i]] = planes[c * n + i];
    const out = await network.run(input, tw, th);
    if (out.logits.length !== 2 * n) throw new Error(`the mask model returned ${out.logits.length} values for a ${tw}×${th} input: the model file does not match this version of Loupe`);
    for (let i = 0; i < n; i++) {
      jewelry[i] += sigmoid(out.logits[where[i]]) / chosen.length;
      stones[i] += sigmoid(out.logits[n + where[i]]) / chosen.length;
    }
    family = family.map((v, k) => v + out.family[k] / chosen.length);
  }
  return { jewelry, stones, family, width: tw, height: th };
}

/** A view of the image: [mirrored left to right, flipped top to bottom]. */
type View = readonly [boolean, boolean];
const VIEWS: readonly View[] = [[false, false], [true, false], [false, true], [true, true]];

/** For each pixel of a w × h image, its index in the view. */
function viewIndex([mirror, flip]: View, w: number, h: number): Int32Array {
  const out = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    const vy = flip ? h - 1 - y : y;
    for (let x = 0; x < w; x++) out[y * w + x] = vy * w + (mirror ? w - 1 - x : x);
  }
  return out;
}

/**
 * The region as planar RGB in 0..1, resized to tw × th: whole k×k blocks are averaged straight from the
 * photo (no full-size float copy of a 24 MP frame), the remainder by area-average / bilinear resampling.
 */
export function regionToPlanes(image: RgbaImage, region: Region, tw: number, th: number): Float32Array {
  const k = Math.max(1, Math.floor(Math.min(region.w / tw, region.h / th)));
  const bw = Math.floor(region.w / k), bh = Math.floor(region.h / k);
  const scale = 1 / (k * k * (image.depth === 8 ? 255 : 65535));
  const out = new Float32Array(3 * tw * th);
  const blocks = [new Float32Array(bw * bh), new Float32Array(bw * bh), new Float32Array(bw * bh)];
  const [r, g, b] = blocks;
  const { data, width } = image;
  const blockOfX = new Int32Array(bw * k);
  for (let x = 0; x < blockOfX.length; x++) blockOfX[x] = (x / k) | 0;
  for (let y = 0; y < bh * k; y++) {
    const row = ((region.y + y) * width + region.x) * 4, brow = ((y / k) | 0) * bw;
    for (let x = 0, p = row; x < bw * k; x++, p += 4) {
      const i = brow + blockOfX[x];
      r[i] += data[p]; g[i] += data[p + 1]; b[i] += data[p + 2];
    }
  }
  for (const [c, block] of blocks.entries()) {
    for (let i = 0; i < block.length; i++) block[i] *= scale;
    out.set(bw === tw && bh === th ? block : resizePlane(block, bw, bh, tw, th), c * tw * th);
  }
  return out;
}

/**
 * Each pixel's colour distance from the backdrop, 0..1: the backdrop's colour is the median of the pixels the
 * zoomed pass (`jewelry`, at the region's size) gives under 5 %. Null when there are none.
 */
function backdropDistanceOf(image: RgbaImage, region: Region, jewelry: Float32Array): Float32Array | null {
  const max = image.depth === 8 ? 255 : 65535, toByte = image.depth === 8 ? 1 : 1 / 257;
  const { data, width } = image;
  // Medians by histogram (a sort of a 24 MP photo's samples took seconds), on 8-bit levels.
  const hist = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
  let n = 0;
  for (let y = 0; y < region.h; y += 3) {
    for (let x = 0; x < region.w; x += 3) {
      if (jewelry[y * region.w + x] >= 0.05) continue;
      const p = ((region.y + y) * width + region.x + x) * 4;
      for (let c = 0; c < 3; c++) hist[c][Math.round(data[p + c] * toByte)]++;
      n++;
    }
  }
  if (n === 0) return null;
  const median = (h: Uint32Array) => { let seen = 0, v = 0; while ((seen += h[v]) <= n / 2) v++; return v / toByte; };
  const r0 = median(hist[0]), g0 = median(hist[1]), b0 = median(hist[2]);
  const out = new Float32Array(region.w * region.h);
  for (let y = 0; y < region.h; y++) {
    for (let x = 0; x < region.w; x++) {
      const p = ((region.y + y) * width + region.x + x) * 4;
      const dr = data[p] - r0, dg = data[p + 1] - g0, db = data[p + 2] - b0;
      out[y * region.w + x] = Math.min(1, Math.sqrt(dr * dr + dg * dg + db * db) / max);
    }
  }
  return out;
}

/** Rec. 709 luma of the region's sRGB values, 0..1. */
function lumaOf(image: RgbaImage, region: Region): Float32Array {
  const out = new Float32Array(region.w * region.h);
  const max = image.depth === 8 ? 255 : 65535;
  const { data, width } = image;
  for (let y = 0; y < region.h; y++) {
    for (let x = 0; x < region.w; x++) {
      const p = ((region.y + y) * width + region.x + x) * 4;
      out[y * region.w + x] = (0.2126 * data[p] + 0.7152 * data[p + 1] + 0.0722 * data[p + 2]) / max;
    }
  }
  return out;
}

/** Bounds (in plane pixels, half-open) of values ≥ threshold; null when none. */
function probableBounds(plane: Float32Array, w: number, h: number, threshold: number) {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (plane[y * w + x] < threshold) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

function softmax(logits: Float32Array): number[] {
  const top = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
