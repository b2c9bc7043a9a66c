/**
 * Writes a Loupe recipe as a layered PSD a retoucher can keep working on in Photoshop:
 *
 *   Background            the untouched source pixels (locked, like an opened photo)
 *   ▾ <recipe group>      pass through, opened (one per recipe group, bottom → top)
 *       layers bottom → top: live adjustment layers, pixel layers, masks, blend modes, clipping
 *   Channels: one alpha channel per saved selection ("Jewelry"), sRGB ICC profile embedded.
 *
 * ag-psd builds the file; psdPostPatch adds what ag-psd cannot write (ICC, alpha-channel planes).
 * See /work/shared/specs/psd-output.md for the measured pitfalls this follows.
 *
 * 8-bit output only: ag-psd throws on bitsPerChannel 16 ("not supported for writing"); a 16-bit
 * writer would need our own layer-record and Lr16 encoder. 16-bit sources are rounded to 8 bits
 * (toRgba8, as Photoshop's Image › Mode › 8 Bits/Channel).
 */
import { writePsdUint8Array, type Layer, type LayerMaskData, type PixelData, type Psd, type AdjustmentLayer as AgAdjustment } from 'ag-psd';
import { toRgba8, type Mask, type Rgba8Image, type RgbaImage } from '../../engine/image';
import type { Adjustment, CurvePoint, Recipe, RecipeLayer } from '../../recipe/recipe';
import { recipeGroups } from '../../recipe/recipeGroups';
import { displayInfoResource, patchPsd } from './psdPostPatch';
import { srgbIccProfile } from './srgbIccProfile';

export interface LayeredPsdInput {
  /** The photo, as read; becomes the Background. */
  readonly source: RgbaImage;
  readonly recipe: Recipe;
  /** The flattened render of source + recipe (ag-psd never composites; previews and IM read this). */
  readonly composite: Rgba8Image;
  /** Name of the bottom layer; default "Background" (a transparent source defaults to "Layer 0"). */
  readonly sourceLayerName?: string;
  /** A complete <x:xmpmeta> packet. */
  readonly xmp?: string;
  /** Pixels per inch written in ResolutionInfo; default 72. */
  readonly resolutionPpi?: number;
}

/** Colour Photoshop overlays saved selections with in the Channels panel (its default: red, 50 %). */
const SELECTION_OVERLAY = { rgb: [255, 0, 0] as const, opacityPercent: 50 };

export function writeLayeredPsd(input: LayeredPsdInput): Uint8Array {
  const { recipe, composite } = input;
  const { width, height } = recipe;
  checkSize('the source image', input.source, width, height);
  checkSize('the composite', composite, width, height);
  for (const layer of recipe.layers) {
    if (layer.mask) checkSize(`the mask of layer "${layer.name}"`, layer.mask, width, height);
    if (layer.kind === 'pixel') checkSize(`layer "${layer.name}"`, layer.image, width, height);
  }
  const selections = recipe.selections ?? [];
  for (const s of selections) checkSize(`saved selection "${s.name}"`, s.mask, width, height);
  if (selections.length > 52) throw new Error('a PSD can hold at most 52 saved selections'); // 56 channels − RGB − transparency

  const source = toRgba8(input.source);
  const sourceOpaque = isOpaque(source.data);
  // Photoshop makes an opaque bottom layer without a transparency channel the locked "Background" (italic
  // name, lock icon, cannot move or hold transparency). A source with transparency cannot be a Background:
  // it becomes an ordinary layer, as Photoshop names it when you unlock one ("Layer 0").
  if (sourceOpaque && !isOpaque(composite.data)) {
    throw new Error('the composite has transparent pixels but the source is opaque: render the composite over the source');
  }
  const background: Layer = {
    name: input.sourceLayerName ?? (sourceOpaque ? 'Background' : 'Layer 0'),
    top: 0,
    left: 0,
    imageData: pixelData(source.data, width, height),
    transparencyProtected: sourceOpaque, // Photoshop sets "lock transparent pixels" on its Background
  };

  const groups: Layer[] = recipeGroups(recipe).map((g) => ({
    name: g.name,
    opened: true,
    blendMode: 'pass through',
    opacity: 1,
    children: g.layers.map(toAgLayer), // ag-psd lists children bottom → top, like the recipe
  }));

  const ppi = input.resolutionPpi ?? 72;
  const psd: Psd = {
    width,
    height,
    imageData: pixelData(composite.data, width, height),
    children: [background, ...groups],
    imageResources: {
      resolutionInfo: {
        horizontalResolution: ppi,
        horizontalResolutionUnit: 'PPI',
        widthUnit: 'Inches',
        verticalResolution: ppi,
        verticalResolutionUnit: 'PPI',
        heightUnit: 'Inches',
      },
      // Readers (including our own readImageFile) trust the merged image only when this says so.
      versionInfo: { hasRealMergedData: true, writerName: 'Loupe', readerName: 'Loupe', fileVersion: 1 },
      ...(input.xmp !== undefined ? { xmpMetadata: input.xmp } : {}),
      ...(selections.length > 0
        ? { alphaChannelNames: selections.map((s) => s.name), alphaIdentifiers: selections.map((_, i) => 1000 + i) }
        : {}),
    },
  };

  // RLE everywhere (ag-psd's default). { compress: true } makes 2× smaller files but is 20–30× slower.
  const bytes = writePsdUint8Array(psd);
  return patchPsd(bytes, {
    resources: [
      { id: 1039, data: srgbIccProfile() },
      ...(selections.length > 0 ? [displayInfoResource(selections.map(() => SELECTION_OVERLAY))] : []),
    ],
    alphaChannels: selections.map((s) => s.mask.data),
  });
}

function toAgLayer(layer: RecipeLayer): Layer {
  const common: Layer = {
    name: layer.name,
    blendMode: layer.blendMode, // Loupe's blend-mode names are ag-psd's
    opacity: Math.min(1, Math.max(0, layer.opacity)),
    clipping: layer.clipping ?? false,
    hidden: layer.visible === false,
    ...(layer.mask ? { mask: toAgMask(layer.mask) } : {}),
  };
  if (layer.kind === 'adjustment') return { ...common, adjustment: toAgAdjustment(layer.adjustment) };
  // Pixel layer: store only the non-transparent bounding box (smaller file, less memory in Photoshop).
  const { image } = layer;
  const box = boundingBox(image.width, image.height, (i) => image.data[4 * i + 3] !== 0);
  if (!box) return { ...common, top: 0, left: 0, bottom: 0, right: 0 }; // fully transparent: an empty layer
  return { ...common, top: box.top, left: box.left, imageData: cropRgba(image, box) };
}

/**
 * Layer mask cropped to its non-black bounding box; everything outside is the default colour 0 (hidden).
 * ag-psd takes masks as RGBA and reads R. We avoid userMaskDensity/Feather: ag-psd#158/#250 report
 * corrupt files with them.
 */
function toAgMask(mask: Mask): LayerMaskData {
  const box = boundingBox(mask.width, mask.height, (i) => mask.data[i] !== 0);
  if (!box) {
    // All hidden: one black pixel; Photoshop shows a black mask.
    return { top: 0, left: 0, bottom: 1, right: 1, defaultColor: 0, imageData: { width: 1, height: 1, data: Uint8ClampedArray.of(0, 0, 0, 255) } };
  }
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const src = (box.top + y) * mask.width + box.left;
    for (let x = 0, p = y * w * 4; x < w; x++, p += 4) {
      const v = mask.data[src + x];
      data[p] = data[p + 1] = data[p + 2] = v;
      data[p + 3] = 255;
    }
  }
  return { ...box, defaultColor: 0, imageData: { width: w, height: h, data } };
}

/** Photoshop's six Hue/Saturation colour ranges (a..d are the range limits; they collapse to 0 if omitted). */
const HUE_RANGES = {
  reds: [315, 345, 15, 45],
  yellows: [15, 45, 75, 105],
  greens: [75, 105, 135, 165],
  cyans: [135, 165, 195, 225],
  blues: [195, 225, 255, 285],
  magentas: [255, 285, 315, 345],
} as const;

function toAgAdjustment(a: Adjustment): AgAdjustment {
  switch (a.type) {
    case 'curves':
      return { type: 'curves', ...curve('rgb', a.rgb), ...curve('red', a.red), ...curve('green', a.green), ...curve('blue', a.blue) };
    case 'hue/saturation': {
      const range = (r: readonly [number, number, number, number]) => ({ a: r[0], b: r[1], c: r[2], d: r[3], hue: 0, saturation: 0, lightness: 0 });
      return {
        type: 'hue/saturation',
        // ag-psd mirrors the raw 'hue2' block: master.a = colorize flag (0 = off, 256 = on) and master.b/c/d
        // = the colorize hue/saturation/lightness (Photoshop's defaults when Colorize is ticked: 0, 25, 0);
        // master.hue/saturation/lightness are the master edit.
        master: { a: 0, b: 0, c: 25, d: 0, hue: int(a.hue, -180, 180), saturation: int(a.saturation, -100, 100), lightness: int(a.lightness, -100, 100) },
        reds: range(HUE_RANGES.reds),
        yellows: range(HUE_RANGES.yellows),
        greens: range(HUE_RANGES.greens),
        cyans: range(HUE_RANGES.cyans),
        blues: range(HUE_RANGES.blues),
        magentas: range(HUE_RANGES.magentas),
      };
    }
    case 'color balance': {
      const v = (t: readonly [number, number, number]) => ({ cyanRed: int(t[0], -100, 100), magentaGreen: int(t[1], -100, 100), yellowBlue: int(t[2], -100, 100) });
      return { type: 'color balance', shadows: v(a.shadows), midtones: v(a.midtones), highlights: v(a.highlights), preserveLuminosity: a.preserveLuminosity };
    }
    case 'channel mixer': {
      const v = (t: readonly [number, number, number, number]) => ({ red: int(t[0], -200, 200), green: int(t[1], -200, 200), blue: int(t[2], -200, 200), constant: int(t[3], -200, 200) });
      return {
        type: 'channel mixer',
        monochrome: false,
        red: v(a.red),
        green: v(a.green),
        blue: v(a.blue),
        gray: { red: 40, green: 40, blue: 20, constant: 0 }, // Photoshop's default if Monochrome is ticked later
      };
    }
  }
}

/** Curves points as Photoshop stores them: integers 0..255, sorted by input, unique inputs; omitted when absent. */
function curve<K extends 'rgb' | 'red' | 'green' | 'blue'>(key: K, points: readonly CurvePoint[] | undefined): { [P in K]?: { input: number; output: number }[] } {
  if (!points || points.length === 0) return {};
  const byInput = new Map<number, number>();
  for (const p of points) byInput.set(int(p.input, 0, 255), int(p.output, 0, 255));
  const list = [...byInput].sort((x, y) => x[0] - y[0]).map(([input, output]) => ({ input, output }));
  if (list.length < 2) throw new Error(`a ${key} curve needs at least 2 points`);
  if (list.length > 16) throw new Error(`a ${key} curve has ${list.length} points; Photoshop allows at most 16`);
  return { [key]: list } as { [P in K]?: { input: number; output: number }[] };
}

function int(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(v)));
}

interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Smallest box holding every pixel where `on(i)` is true; undefined when none is. */
function boundingBox(width: number, height: number, on: (i: number) => boolean): Box | undefined {
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = -1;
    for (let x = 0; x < width; x++) {
      if (on(row + x)) {
        first = x;
        break;
      }
    }
    if (first < 0) continue;
    let last = first;
    for (let x = width - 1; x > first; x--) {
      if (on(row + x)) {
        last = x;
        break;
      }
    }
    if (y < top) top = y;
    bottom = y;
    if (first < left) left = first;
    if (last > right) right = last;
  }
  return bottom < 0 ? undefined : { top, left, bottom: bottom + 1, right: right + 1 };
}

function cropRgba(image: Rgba8Image, box: Box): PixelData {
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  if (w === image.width && h === image.height) return pixelData(image.data, w, h);
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const from = ((box.top + y) * image.width + box.left) * 4;
    data.set(image.data.subarray(from, from + w * 4), y * w * 4);
  }
  return { width: w, height: h, data };
}

function pixelData(data: Uint8Array, width: number, height: number): PixelData {
  // A view, not a copy: ag-psd only reads layer pixels.
  return { width, height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
}

function isOpaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

function checkSize(what: string, got: { width: number; height: number }, width: number, height: number): void {
  if (got.width !== width || got.height !== height) {
    throw new Error(`${what} is ${got.width}×${got.height} but the recipe is ${width}×${height}: they must be the same size`);
  }
}
