/**
 * Test-only: turn a Photoshop-made PSD into (source, Recipe) for the compositor and fetch Photoshop's own
 * composite, so renders can be compared with Photoshop's.
 *
 * Supported: pixel layers (fill/shape layers too, via the rasterized pixels Photoshop stores), curves,
 * Hue/Saturation whose only non-zero settings are in the master range, the recipe's blend modes, layer
 * masks (with their default colour outside the mask's bounds), clipping, pass-through groups at 100%
 * without a mask (their layers are inlined, which is what pass-through means). Anything else makes the
 * layer "unsupported": the pixels it can affect (its mask > 0, or the whole canvas) are excluded from
 * the comparison, and the layer is left out of the recipe.
 */
import { readFileSync, existsSync } from 'node:fs';
import { initializeCanvas, readPsd, type Layer, type Psd } from 'ag-psd';
import sharp from 'sharp';
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../../src/engine/image';
import type { Adjustment, BlendMode, CurvePoint, Recipe, RecipeLayer } from '../../src/recipe/recipe';

let canvasReady = false;
function ensureCanvas(): void {
  if (canvasReady) return;
  initializeCanvas(
    () => {
      throw new Error('no canvas');
    },
    (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4), colorSpace: 'srgb' }) as ImageData,
  );
  canvasReady = true;
}

export interface PsdCase {
  readonly file: string;
  readonly source: Rgba8Image;
  readonly recipe: Recipe;
  /** Photoshop's composite (the PNG next to the PSD when there is one, else the PSD's merged image). */
  readonly expected: Rgba8Image;
  /** 1 where the comparison is meaningful (no unsupported layer can reach the pixel). */
  readonly compare: Uint8Array;
  /** Why layers were left out. */
  readonly unsupported: string[];
  /** Set when the file cannot be tested at all (a reason). */
  readonly skip?: string;
}

const MODES: Record<string, BlendMode> = {
  normal: 'normal',
  multiply: 'multiply',
  screen: 'screen',
  overlay: 'overlay',
  'soft light': 'soft light',
  'linear light': 'linear light',
  color: 'color',
  luminosity: 'luminosity',
};

export async function loadPsdCase(file: string): Promise<PsdCase> {
  ensureCanvas();
  const psd: Psd = readPsd(readFileSync(file), { useImageData: true });
  const W = psd.width;
  const H = psd.height;
  const compare = new Uint8Array(W * H).fill(1);
  const unsupported: string[] = [];
  const layers: RecipeLayer[] = [];
  let skip: string | undefined;

  const exclude = (l: Layer, why: string) => {
    unsupported.push(`${l.name}: ${why}`);
    const m = rasterMask(l, W, H);
    if (!m) {
      skip ??= `unsupported layer "${l.name}" (${why}) covers the whole canvas`;
      compare.fill(0);
      return;
    }
    for (let i = 0; i < m.data.length; i++) if (m.data[i] !== 0) compare[i] = 0;
  };

  const walk = (children: Layer[] | undefined) => {
    for (const l of children ?? []) {
      if (l.children) {
        if (l.hidden) continue;
        if (l.blendMode === 'pass through' && (l.opacity ?? 1) === 1 && !l.mask) walk(l.children);
        else exclude(l, `group with mode ${l.blendMode}, opacity ${l.opacity}${l.mask ? ', mask' : ''}`);
        continue;
      }
      if (l.hidden) continue;
      const mode = MODES[l.blendMode ?? 'normal'];
      if (!mode) {
        exclude(l, `blend mode ${l.blendMode}`);
        continue;
      }
      const opacity = (l.opacity ?? 1) * (l.fillOpacity ?? 1);
      const mask = rasterMask(l, W, H) ?? undefined;
      const common = { name: l.name ?? '', blendMode: mode, opacity, clipping: !!l.clipping, mask };
      if (l.adjustment) {
        const adj = convertAdjustment(l.adjustment as unknown as Record<string, unknown>);
        if (typeof adj === 'string') exclude(l, adj);
        else layers.push({ ...common, kind: 'adjustment', adjustment: adj });
        continue;
      }
      if (l.vectorMask && !l.vectorFill) {
        exclude(l, 'vector mask on a pixel layer');
        continue;
      }
      if (!l.imageData) continue; // empty layer: contributes nothing
      layers.push({ ...common, kind: 'pixel', image: rasterPixels(l, W, H) });
    }
  };
  walk(psd.children);

  // Source: a bottom full-canvas opaque normal pixel layer, else a transparent canvas.
  let source = createRgba8(W, H);
  const first = layers[0];
  if (first && first.kind === 'pixel' && first.blendMode === 'normal' && first.opacity === 1 && !first.mask && !layers[1]?.clipping) {
    let opaque = true;
    for (let i = 3; i < first.image.data.length; i += 4) if (first.image.data[i] !== 255) opaque = false;
    if (opaque) {
      source = first.image;
      layers.shift();
    }
  }

  const png = file.replace(/\.psd$/, '.png');
  let expected: Rgba8Image;
  if (existsSync(png)) {
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.width !== W || info.height !== H) throw new Error(`${png} is ${info.width}×${info.height}`);
    expected = createRgba8(W, H, new Uint8Array(data.buffer, data.byteOffset, data.length).slice());
  } else if (psd.imageData) {
    expected = createRgba8(W, H, new Uint8Array(psd.imageData.data.buffer).slice());
  } else {
    throw new Error(`${file} has no composite`);
  }
  return { file, source, recipe: { groupName: 'psd', width: W, height: H, layers }, expected, compare, unsupported, skip };
}

function convertAdjustment(a: Record<string, unknown>): Adjustment | string {
  if (a.type === 'curves') {
    const pts = (k: string) => (a[k] as CurvePoint[] | undefined)?.map((p) => ({ input: p.input, output: p.output }));
    return { type: 'curves', rgb: pts('rgb'), red: pts('red'), green: pts('green'), blue: pts('blue') };
  }
  if (a.type === 'hue/saturation') {
    if (a.colorize) return 'colorize';
    for (const r of ['reds', 'yellows', 'greens', 'cyans', 'blues', 'magentas']) {
      const v = a[r] as { hue: number; saturation: number; lightness: number } | undefined;
      if (v && (v.hue !== 0 || v.saturation !== 0 || v.lightness !== 0)) return `hue/saturation with a ${r} range setting`;
    }
    const m = a.master as { hue: number; saturation: number; lightness: number };
    return { type: 'hue/saturation', hue: m.hue, saturation: m.saturation, lightness: m.lightness };
  }
  return `${String(a.type)} adjustment`;
}

/** Layer mask at canvas size, or null when the layer has no (enabled) mask. */
export function rasterMask(l: Layer, W: number, H: number): Mask | null {
  const m = l.mask;
  if (!m || m.disabled) return null;
  const out = createMask(W, H);
  out.data.fill(m.defaultColor ?? 0);
  const img = m.imageData;
  if (img) {
    const left = m.left ?? 0;
    const top = m.top ?? 0;
    for (let y = 0; y < img.height; y++) {
      const cy = top + y;
      if (cy < 0 || cy >= H) continue;
      for (let x = 0; x < img.width; x++) {
        const cx = left + x;
        if (cx < 0 || cx >= W) continue;
        out.data[cy * W + cx] = img.data[(y * img.width + x) * 4];
      }
    }
  }
  return out;
}

function rasterPixels(l: Layer, W: number, H: number): Rgba8Image {
  const out = createRgba8(W, H);
  const img = l.imageData!;
  const left = l.left ?? 0;
  const top = l.top ?? 0;
  for (let y = 0; y < img.height; y++) {
    const cy = top + y;
    if (cy < 0 || cy >= H) continue;
    for (let x = 0; x < img.width; x++) {
      const cx = left + x;
      if (cx < 0 || cx >= W) continue;
      const s = (y * img.width + x) * 4;
      const d = (cy * W + cx) * 4;
      for (let c = 0; c < 4; c++) out.data[d + c] = img.data[s + c];
    }
  }
  return out;
}

export interface Diff {
  readonly compared: number;
  readonly max: number;
  readonly mean: number;
  /** Share of compared channel values off by more than 1. */
  readonly over1: number;
  readonly alphaMax: number;
}

/**
 * Colour error on the compared pixels whose expected alpha is ≥ minAlpha (colours of nearly transparent
 * pixels are not meaningful once un-premultiplied); alpha error on all compared pixels.
 */
export function diffImages(actual: Rgba8Image, expected: Rgba8Image, compare: Uint8Array, minAlpha = 128): Diff {
  let n = 0, sum = 0, max = 0, over = 0, alphaMax = 0;
  for (let p = 0; p < compare.length; p++) {
    if (compare[p] === 0) continue;
    const o = p * 4;
    alphaMax = Math.max(alphaMax, Math.abs(actual.data[o + 3] - expected.data[o + 3]));
    if (expected.data[o + 3] < minAlpha) continue;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(actual.data[o + c] - expected.data[o + c]);
      sum += d;
      n++;
      if (d > max) max = d;
      if (d > 1) over++;
    }
  }
  return { compared: n / 3, max, mean: n ? sum / n : 0, over1: n ? over / n : 0, alphaMax };
}
