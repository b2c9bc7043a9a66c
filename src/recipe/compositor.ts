/**
 * Renders a Recipe over its source the way Photoshop composites an RGB document.
 *
 * Model (Photoshop's, which the W3C compositing spec describes):
 *  - The recipe group is pass-through: each layer composites straight onto what lies below it.
 *  - Adjustment layer: its "pixels" are adjust(backdrop) and its alpha is opacity × mask; the result of
 *    its blend mode B(backdrop, adjusted) is mixed onto the backdrop with that alpha. It never changes the
 *    backdrop's own alpha.
 *  - Pixel layer: colour = its pixels, alpha = pixel alpha × mask × opacity, blended with its mode:
 *      Cs' = (1 − αb)·Cs + αb·B(Cb, Cs);  αo = αs + αb(1 − αs);  Co = (αs·Cs' + (1 − αs)·αb·Cb) / αo
 *    which for an opaque backdrop is Co = Cb + αs·(B(Cb, Cs) − Cb).
 *  - Clipping group (base + the clipped layers right above it, "Blend Clipped Layers as Group" on, as
 *    Photoshop defaults): the clipped layers composite, in isolation, onto the base layer's own content
 *    (a pixel base: its pixels; an adjustment base: adjust(backdrop)), limited to the base's alpha (pixel
 *    alpha × mask; for an adjustment base its mask); the group is then composited onto the backdrop with
 *    the base's blend mode and opacity. A hidden base hides its clipped layers too, as in Photoshop.
 *    A clipped layer with nothing below it in the group is treated as unclipped.
 *  - Invisible layers are skipped.
 *  - Several groups (recipe.groups) are pass-through too, so they composite as one run of layers, except
 *    that clipping stops at a group boundary.
 *
 * Precision: an 8-bit source goes through an 8-bit pipeline like Photoshop's 8-bit documents: every
 * adjustment is an 8-bit → 8-bit table and the composite is rounded to integer code values after every
 * layer. A 16-bit source is composited in float (0..255 scale with fractions) and rounded once at the end.
 *
 * Work is done one row at a time with reused Float32 row buffers; pixels whose effective alpha is 0
 * (mask 0, transparent pixel) are not adjusted or blended at all, so they stay byte-identical to the source.
 * Each row is only worked between the first and last pixel any layer reaches (a piece of jewelry covers
 * a fraction of a 24 MP frame); the rest of the row is the source as it is.
 */
import type { Rgba8Image, RgbaImage } from '../engine/image';
import { assertSameSize, createRgba8 } from '../engine/image';
import type { BlendMode, Recipe, RecipeLayer } from './recipe';
import { blendPixel, blendTable8, channelBlends, isSeparable } from './blendModes';
import { prepareAdjustment, type AdjustmentKernel } from './applyAdjustment';
import { groupStarts } from './recipeGroups';
import { firstNonZero, lastNonZero } from '../engine/maskWindow';

export interface RenderOptions {
  /** Called with 0..1 as rows complete (about every 1% of rows), and with 1 at the end. */
  onProgress?(fraction: number): void;
}

interface PreparedLayer {
  readonly layer: RecipeLayer;
  readonly mode: BlendMode;
  readonly opacity: number;
  readonly mask: Uint8Array | null;
  readonly pixels: Uint8Array | null;
  readonly kernel: AdjustmentKernel | null;
  /** Separable 8-bit blend table, or null for normal (no table needed) and non-separable modes. */
  readonly table: Float32Array | null;
}

interface Unit {
  readonly base: PreparedLayer;
  readonly clipped: PreparedLayer[];
}

export function renderRecipe(source: RgbaImage, recipe: Recipe, options?: RenderOptions): Rgba8Image {
  const { width: w, height: h } = source;
  if (recipe.width !== w || recipe.height !== h) {
    throw new Error(`recipe is ${recipe.width}×${recipe.height} but the source is ${w}×${h}: they must be the same size`);
  }
  const quantize = source.depth === 8;
  const units = buildUnits(recipe, source, !quantize);

  const out = new Uint8Array(w * h * 4);
  const back = new Float32Array(w * 4); // backdrop / running composite
  const group = new Float32Array(w * 4); // isolated clipping-group content
  const adjusted = new Float32Array(w * 4); // adjust(...) result
  const alpha = new Float32Array(w); // effective alpha of the current layer (0..1)
  const groupAlpha = new Float32Array(w);
  const active = new Uint8Array(w);
  const clipActive = new Uint8Array(w);
  const tmp = new Float64Array(3);
  const src = source.data;
  const progressStep = Math.max(1, Math.floor(h / 100));
  const unitSpans = units.map((unit) => layerSpans(unit.base, w, h));
  const spans = unionSpans(unitSpans, w, h);

  for (let y = 0; y < h; y++) {
    const rowOff = y * w * 4;
    const rowX0 = spans[2 * y], rowX1 = spans[2 * y + 1];
    // The source row as it is, then the span that layers reach is composited over it.
    if (quantize) out.set(src.subarray(rowOff, rowOff + w * 4), rowOff);
    else for (let i = 0; i < w * 4; i++) out[rowOff + i] = Math.round(src[rowOff + i] / 257);
    if (rowX0 >= rowX1) {
      if (options?.onProgress && (y + 1) % progressStep === 0) options.onProgress((y + 1) / h);
      continue;
    }
    back.set(src.subarray(rowOff + rowX0 * 4, rowOff + rowX1 * 4), rowX0 * 4);
    if (!quantize) for (let i = rowX0 * 4; i < rowX1 * 4; i++) back[i] /= 257;

    for (const [u, unit] of units.entries()) {
      // Each layer (with what is clipped to it) only where it reaches in this row.
      const own = unitSpans[u];
      const x0 = own === null ? rowX0 : own[2 * y], x1 = own === null ? rowX1 : own[2 * y + 1];
      if (x0 >= x1) continue;
      const base = unit.base;
      const maskOff = y * w;
      if (unit.clipped.length === 0 && quantize && base.mode === 'normal' && base.kernel?.tables8) {
        // Fast path (the common retouch layer): 8-bit per-channel tables, normal mode, fused loop.
        fusedTables8(back, base.kernel.tables8, base.mask, maskOff, base.opacity, x0, x1);
        continue;
      }
      if (unit.clipped.length === 0) {
        // Alpha with opacity; skip the row if nothing shows.
        if (!layerAlpha(base, maskOff, x0, x1, true, alpha, active)) continue;
        if (base.kernel !== null) {
          base.kernel.run(back, adjusted, x0, x1, active, quantize);
          mixAdjustment(back, adjusted, alpha, active, x0, x1, base, quantize, tmp);
        } else {
          mixPixels(back, base.pixels!, rowOff, alpha, active, x0, x1, base, quantize, tmp);
        }
        continue;
      }
      // Clipping group: base content with its own alpha (no opacity), then the clipped layers inside it.
      if (!layerAlpha(base, maskOff, x0, x1, false, groupAlpha, active)) continue;
      if (base.kernel !== null) {
        base.kernel.run(back, group, x0, x1, active, quantize);
      } else {
        const px = base.pixels!;
        for (let x = x0; x < x1; x++) {
          if (active[x] === 0) continue;
          const o = x * 4;
          group[o] = px[rowOff + o];
          group[o + 1] = px[rowOff + o + 1];
          group[o + 2] = px[rowOff + o + 2];
          group[o + 3] = 255;
        }
      }
      for (const layer of unit.clipped) {
        if (!layerAlpha(layer, maskOff, x0, x1, true, alpha, clipActive)) continue;
        for (let x = x0; x < x1; x++) if (active[x] === 0) clipActive[x] = 0;
        if (layer.kernel !== null) {
          layer.kernel.run(group, adjusted, x0, x1, clipActive, quantize);
          mixAdjustment(group, adjusted, alpha, clipActive, x0, x1, layer, quantize, tmp);
        } else {
          mixPixels(group, layer.pixels!, rowOff, alpha, clipActive, x0, x1, layer, quantize, tmp, true);
        }
      }
      // Composite the group with the base's mode and opacity.
      for (let x = x0; x < x1; x++) alpha[x] = groupAlpha[x] * base.opacity;
      if (base.opacity <= 0) continue;
      if (base.kernel !== null) {
        mixAdjustment(back, group, alpha, active, x0, x1, base, quantize, tmp);
      } else {
        mixPixels(back, null, 0, alpha, active, x0, x1, base, quantize, tmp, false, group);
      }
    }

    if (quantize) {
      out.set(back.subarray(rowX0 * 4, rowX1 * 4), rowOff + rowX0 * 4); // already integer code values in 0..255
    } else {
      for (let i = rowX0 * 4; i < rowX1 * 4; i++) {
        const v = back[i];
        out[rowOff + i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
    if (options?.onProgress && (y + 1) % progressStep === 0) options.onProgress((y + 1) / h);
  }
  options?.onProgress?.(1);
  return createRgba8(w, h, out);
}

function buildUnits(recipe: Recipe, source: RgbaImage, fine: boolean): Unit[] {
  const units: Unit[] = [];
  let current: { unit: Unit | null } | null = null; // null unit = hidden base (its clipped layers are hidden)
  const starts = groupStarts(recipe);
  for (const [index, layer] of recipe.layers.entries()) {
    if (starts.has(index)) current = null; // a group's bottom layer cannot clip to the group below
    if (layer.mask) assertSameSize(`mask of layer "${layer.name}"`, source, layer.mask);
    if (layer.kind === 'pixel') assertSameSize(`pixels of layer "${layer.name}"`, source, layer.image);
    const visible = layer.visible !== false;
    if (layer.clipping && current !== null) {
      if (current.unit !== null && visible) current.unit.clipped.push(prepare(layer, fine));
      continue;
    }
    if (!visible) {
      current = { unit: null };
      continue;
    }
    const unit: Unit = { base: prepare(layer, fine), clipped: [] };
    units.push(unit);
    current = { unit };
  }
  // A normal-mode adjustment that changes nothing and has nothing clipped to it can be dropped.
  return units.filter((u) => !(u.clipped.length === 0 && u.base.kernel !== null && u.base.kernel.identity && u.base.mode === 'normal'));
}

function prepare(layer: RecipeLayer, fine: boolean): PreparedLayer {
  const mode = layer.blendMode;
  const opacity = Math.max(0, Math.min(1, Number.isFinite(layer.opacity) ? layer.opacity : 1));
  return {
    layer,
    mode,
    opacity,
    mask: layer.mask ? layer.mask.data : null,
    pixels: layer.kind === 'pixel' ? layer.image.data : null,
    kernel: layer.kind === 'adjustment' ? prepareAdjustment(layer.adjustment, fine) : null,
    table: !fine && mode !== 'normal' && isSeparable(mode) ? blendTable8(mode) : null,
  };
}

/**
 * Per row, the half-open span [x0, x1) of pixels a layer reaches (its mask, or a pixel layer's own alpha,
 * above 0), as pairs in one array (x0 ≥ x1 when it reaches none); null when it reaches every pixel.
 * What is clipped to a layer stays within it.
 */
function layerSpans(layer: PreparedLayer, w: number, h: number): Int32Array | null {
  const { mask, pixels } = layer;
  if (mask === null && pixels === null) return null;
  const spans = new Int32Array(2 * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let lo = -1, hi = -1;
    if (mask !== null) {
      const first = firstNonZero(mask, row, row + w);
      if (first >= 0) { lo = first - row; hi = lastNonZero(mask, first, row + w) - row; }
    } else {
      for (let x = 0; x < w; x++) if (pixels![(row + x) * 4 + 3] !== 0) { lo = x; break; }
      if (lo >= 0) for (let x = w - 1; x >= lo; x--) if (pixels![(row + x) * 4 + 3] !== 0) { hi = x; break; }
    }
    spans[2 * y] = lo < 0 ? 0 : lo;
    spans[2 * y + 1] = lo < 0 ? 0 : hi + 1;
  }
  return spans;
}

/** The rows' spans that hold every given layer span (null: the whole row). */
function unionSpans(layers: readonly (Int32Array | null)[], w: number, h: number): Int32Array {
  const spans = new Int32Array(2 * h);
  for (let y = 0; y < h; y++) { spans[2 * y] = w; spans[2 * y + 1] = 0; }
  for (const own of layers) {
    for (let y = 0; y < h; y++) {
      const lo = own === null ? 0 : own[2 * y], hi = own === null ? w : own[2 * y + 1];
      if (lo >= hi) continue;
      if (lo < spans[2 * y]) spans[2 * y] = lo;
      if (hi > spans[2 * y + 1]) spans[2 * y + 1] = hi;
    }
  }
  return spans;
}

/** back ← round(back + (lut(back) − back)·opacity·mask/255), skipping mask-0 pixels. */
function fusedTables8(
  back: Float32Array, tables: readonly [Uint8Array, Uint8Array, Uint8Array], mask: Uint8Array | null, maskOff: number,
  opacity: number, x0: number, x1: number,
): void {
  const [lr, lg, lb] = tables;
  const s = opacity / 255;
  for (let x = x0; x < x1; x++) {
    const m = mask === null ? 255 : mask[maskOff + x];
    if (m === 0) continue;
    const o = x * 4;
    const br = back[o], bg = back[o + 1], bb = back[o + 2];
    const r = lr[br | 0], g = lg[bg | 0], b = lb[bb | 0];
    if (m === 255 && opacity === 1) {
      back[o] = r; back[o + 1] = g; back[o + 2] = b;
    } else {
      const a = m * s;
      back[o] = Math.round(br + (r - br) * a);
      back[o + 1] = Math.round(bg + (g - bg) * a);
      back[o + 2] = Math.round(bb + (b - bb) * a);
    }
  }
}

/**
 * Effective alpha (0..1) of a layer for pixels [x0, x1) of one row into `alpha`, with `active` = alpha > 0.
 * Returns false when nothing there is active.
 */
function layerAlpha(layer: PreparedLayer, maskOff: number, x0: number, x1: number, withOpacity: boolean, alpha: Float32Array, active: Uint8Array): boolean {
  const k = withOpacity ? layer.opacity : 1;
  if (k <= 0) return false;
  const mask = layer.mask;
  const px = layer.pixels;
  let any = false;
  if (px === null) {
    if (mask === null) {
      alpha.fill(k, x0, x1);
      active.fill(1, x0, x1);
      return true;
    }
    const s = k / 255;
    for (let x = x0; x < x1; x++) {
      const m = mask[maskOff + x];
      alpha[x] = m * s;
      active[x] = m === 0 ? 0 : 1;
      if (m !== 0) any = true;
    }
    return any;
  }
  const pxOff = maskOff * 4;
  const s = k / 255;
  const s2 = k / 65025;
  for (let x = x0; x < x1; x++) {
    const a = px[pxOff + x * 4 + 3];
    const v = mask === null ? a * s : a * mask[maskOff + x] * s2;
    alpha[x] = v;
    active[x] = v > 0 ? 1 : 0;
    if (v > 0) any = true;
  }
  return any;
}

/** Adjustment layer: dst ← dst + (B(dst, adjusted) − dst)·α on the colour channels; alpha untouched. */
function mixAdjustment(
  dst: Float32Array, adjusted: Float32Array, alpha: Float32Array, active: Uint8Array, x0: number, x1: number,
  layer: PreparedLayer, quantize: boolean, tmp: Float64Array,
): void {
  const mode = layer.mode;
  const table = layer.table;
  const separable = isSeparable(mode);
  const f = separable ? channelBlends[mode] : null;
  for (let x = x0; x < x1; x++) {
    if (active[x] === 0) continue;
    const o = x * 4;
    const a = alpha[x];
    const br = dst[o], bg = dst[o + 1], bb = dst[o + 2];
    let rr: number, rg: number, rb: number;
    if (mode === 'normal') {
      rr = adjusted[o]; rg = adjusted[o + 1]; rb = adjusted[o + 2];
    } else if (table !== null && quantize) {
      rr = table[(br << 8) | adjusted[o]];
      rg = table[(bg << 8) | adjusted[o + 1]];
      rb = table[(bb << 8) | adjusted[o + 2]];
    } else if (f !== null) {
      rr = f(br / 255, adjusted[o] / 255) * 255;
      rg = f(bg / 255, adjusted[o + 1] / 255) * 255;
      rb = f(bb / 255, adjusted[o + 2] / 255) * 255;
    } else {
      blendPixel(mode, br, bg, bb, adjusted[o], adjusted[o + 1], adjusted[o + 2], tmp, 255);
      rr = tmp[0]; rg = tmp[1]; rb = tmp[2];
    }
    let r = br + (rr - br) * a;
    let g = bg + (rg - bg) * a;
    let b = bb + (rb - bb) * a;
    if (quantize) {
      r = Math.round(r); g = Math.round(g); b = Math.round(b);
    }
    dst[o] = r; dst[o + 1] = g; dst[o + 2] = b;
  }
}

/**
 * Pixel layer (or a finished clipping group when `colours` is given): general source-over with blend mode.
 * `insideGroup`: compositing a clipped layer inside a group, where the group's alpha is kept separately,
 * so the backdrop counts as opaque.
 */
function mixPixels(
  dst: Float32Array, pixels: Uint8Array | null, rowOff: number, alpha: Float32Array, active: Uint8Array, x0: number, x1: number,
  layer: PreparedLayer, quantize: boolean, tmp: Float64Array, insideGroup = false, colours?: Float32Array,
): void {
  const mode = layer.mode;
  const table = layer.table;
  const separable = isSeparable(mode);
  const f = separable ? channelBlends[mode] : null;
  for (let x = x0; x < x1; x++) {
    if (active[x] === 0) continue;
    const o = x * 4;
    const as = alpha[x];
    let sr: number, sg: number, sb: number;
    if (colours) {
      sr = colours[o]; sg = colours[o + 1]; sb = colours[o + 2];
    } else {
      sr = pixels![rowOff + o]; sg = pixels![rowOff + o + 1]; sb = pixels![rowOff + o + 2];
    }
    const br = dst[o], bg = dst[o + 1], bb = dst[o + 2];
    const ab = insideGroup ? 1 : dst[o + 3] / 255;
    let rr: number, rg: number, rb: number;
    if (mode === 'normal') {
      rr = sr; rg = sg; rb = sb;
    } else if (table !== null && quantize) {
      rr = table[(br << 8) | sr]; rg = table[(bg << 8) | sg]; rb = table[(bb << 8) | sb];
    } else if (f !== null) {
      rr = f(br / 255, sr / 255) * 255; rg = f(bg / 255, sg / 255) * 255; rb = f(bb / 255, sb / 255) * 255;
    } else {
      blendPixel(mode, br, bg, bb, sr, sg, sb, tmp, 255);
      rr = tmp[0]; rg = tmp[1]; rb = tmp[2];
    }
    let r: number, g: number, b: number, ao: number;
    if (ab >= 1) {
      r = br + (rr - br) * as; g = bg + (rg - bg) * as; b = bb + (rb - bb) * as;
      ao = 255;
    } else {
      // Cs' = (1 − αb)Cs + αb·B(Cb, Cs), then source-over with non-premultiplied output.
      const csr = sr + (rr - sr) * ab, csg = sg + (rg - sg) * ab, csb = sb + (rb - sb) * ab;
      const aof = as + ab * (1 - as);
      if (aof <= 0) continue;
      const kb = (1 - as) * ab;
      r = (as * csr + kb * br) / aof; g = (as * csg + kb * bg) / aof; b = (as * csb + kb * bb) / aof;
      ao = aof * 255;
    }
    if (quantize) {
      r = Math.round(r); g = Math.round(g); b = Math.round(b); ao = Math.round(ao);
    }
    dst[o] = r; dst[o + 1] = g; dst[o + 2] = b; dst[o + 3] = ao;
  }
}
