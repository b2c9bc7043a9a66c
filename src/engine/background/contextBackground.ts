/**
 * Context background: a generated (or studio) scene goes *behind* the photographed piece.
 *
 * Recipe, bottom → top, above the untouched photo:
 *   "Context background" — the generator's image fitted to the frame, opaque;
 *   "Piece · original pixels" — the photo's own pixels, masked by the jewelry mask.
 * So wherever the mask is 255 the result is the photo, whatever the generator returned; only the mask's
 * alpha blends edges. The generator's output is resized/cropped to the frame, never the piece.
 */
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../image';
import { resizeRgba8 } from '../resample';
import { blurMask } from '../gaussianBlur';
import { SRGB8_TO_LINEAR, linearToSrgb8 } from '../color';
import type { Recipe } from '../../recipe/recipe';

export const CONTEXT_BACKGROUND_GROUP = 'Loupe · Context background';
export const CONTEXT_BACKGROUND_LAYER = 'Context background';
export const PIECE_LAYER = 'Piece · original pixels';
export const JEWELRY_SELECTION = 'Jewelry';

/** A generator output this many times larger than the frame on a side (or over 30 000 px) is refused. */
const MAX_GENERATED_SIDE = 30000;
const MAX_GENERATED_SCALE = 8;

export class GeneratedImageError extends Error {
  override readonly name = 'GeneratedImageError';
}

/** Refuse generator outputs that are empty or absurdly large before any work is done on them. */
export function checkGeneratedSize(width: number, height: number, frameWidth: number, frameHeight: number): void {
  if (!(width >= 1 && height >= 1)) throw new GeneratedImageError(`the generator returned an empty image (${width}×${height}); try again or pick another provider`);
  const limit = Math.min(MAX_GENERATED_SIDE, MAX_GENERATED_SCALE * Math.max(frameWidth, frameHeight));
  if (width > limit || height > limit) {
    throw new GeneratedImageError(`the generator returned a ${width}×${height} image, far larger than the ${frameWidth}×${frameHeight} photo; check the provider's size settings`);
  }
}

/**
 * Fit the generated image to the frame: scale to cover, crop the centre. Aspect is kept so a generator that
 * works at 1024² does not squash the scene; the piece is never moved or scaled.
 */
export function fitToFrame(generated: Rgba8Image, width: number, height: number): Rgba8Image {
  checkGeneratedSize(generated.width, generated.height, width, height);
  let fitted: Rgba8Image;
  if (generated.width === width && generated.height === height) fitted = generated;
  else {
    const scale = Math.max(width / generated.width, height / generated.height);
    const cropW = Math.min(generated.width, Math.max(1, Math.round(width / scale)));
    const cropH = Math.min(generated.height, Math.max(1, Math.round(height / scale)));
    const cropped = crop(generated, Math.floor((generated.width - cropW) / 2), Math.floor((generated.height - cropH) / 2), cropW, cropH);
    fitted = resizeRgba8(cropped, width, height);
  }
  return opaque(fitted);
}

function crop(image: Rgba8Image, x0: number, y0: number, w: number, h: number): Rgba8Image {
  if (x0 === 0 && y0 === 0 && w === image.width && h === image.height) return image;
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const start = 4 * ((y0 + y) * image.width + x0);
    out.set(image.data.subarray(start, start + 4 * w), 4 * y * w);
  }
  return createRgba8(w, h, out);
}

/** A background layer must be opaque, or the untouched photo would show through it. */
function opaque(image: Rgba8Image): Rgba8Image {
  let any = false;
  for (let i = 3; i < image.data.length; i += 4) if (image.data[i] !== 255) { any = true; break; }
  if (!any) return image;
  const out = new Uint8Array(image.data);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return createRgba8(image.width, image.height, out);
}

/**
 * The ring of backdrop just around the piece (outside the mask, within ~2 % of the frame's diagonal):
 * where the piece's light meets the new scene.
 */
export function surroundRing(mask: Mask): Mask {
  const sigma = Math.max(2, 0.02 * Math.hypot(mask.width, mask.height) / 2);
  const spread = blurMask(mask, sigma);
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] === 0 && spread.data[i] >= 3 ? 255 : 0;
  return createMask(mask.width, mask.height, out);
}

export interface Harmonisation {
  /** Per-channel gains applied to the background in linear light. */
  readonly gains: readonly [number, number, number];
  readonly ringPixels: number;
}

/** Gains are kept within this range: harmonising nudges the scene's light, it does not repaint it. */
const GAIN_MIN = 0.6;
const GAIN_MAX = 1.6;

/**
 * Bring the background toward the piece's light: match the mean linear RGB (luminance and white balance)
 * of the new background around the piece to the photo's own backdrop there. Only the background changes.
 */
export function harmoniseBackground(background: Rgba8Image, original: Rgba8Image, mask: Mask): { image: Rgba8Image; harmonisation: Harmonisation } {
  const ring = surroundRing(mask);
  const sumO = [0, 0, 0];
  const sumB = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < ring.data.length; i++) {
    if (ring.data[i] === 0) continue;
    n++;
    for (let c = 0; c < 3; c++) {
      sumO[c] += SRGB8_TO_LINEAR[original.data[4 * i + c]];
      sumB[c] += SRGB8_TO_LINEAR[background.data[4 * i + c]];
    }
  }
  const gains: [number, number, number] = [1, 1, 1];
  if (n > 0) for (let c = 0; c < 3; c++) gains[c] = sumB[c] > 1e-6 ? clamp(sumO[c] / sumB[c], GAIN_MIN, GAIN_MAX) : 1;
  const tables = gains.map((g) => {
    const t = new Uint8Array(256);
    for (let v = 0; v < 256; v++) t[v] = linearToSrgb8(Math.min(1, SRGB8_TO_LINEAR[v] * g));
    return t;
  });
  const out = new Uint8Array(background.data.length);
  for (let i = 0; i < out.length; i += 4) {
    out[i] = tables[0][background.data[i]];
    out[i + 1] = tables[1][background.data[i + 1]];
    out[i + 2] = tables[2][background.data[i + 2]];
    out[i + 3] = 255;
  }
  return { image: createRgba8(background.width, background.height, out), harmonisation: { gains, ringPixels: n } };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

export interface ContextBackgroundOptions {
  /** Match the background's light around the piece to the photo's (default false). */
  readonly harmonise?: boolean;
}

export interface ContextBackgroundPlan {
  readonly recipe: Recipe;
  readonly background: Rgba8Image;
  readonly harmonisation?: Harmonisation;
  /** True when the generator's output had another size and was fitted to the frame. */
  readonly resized: boolean;
}

export function planContextBackground(original: Rgba8Image, mask: Mask, generated: Rgba8Image, options: ContextBackgroundOptions = {}): ContextBackgroundPlan {
  const { width, height } = original;
  if (mask.width !== width || mask.height !== height) throw new Error(`the mask is ${mask.width}×${mask.height} but the photo is ${width}×${height}: they must be the same size`);
  let covered = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] > 0) covered++;
  if (covered === 0) throw new Error('the jewelry mask is empty: paint the piece white in the mask (or let Loupe find it) and try again');
  if (covered === mask.data.length) throw new Error('the jewelry mask covers the whole photo, so there is no background to replace: check that the mask is not inverted');

  const resized = generated.width !== width || generated.height !== height;
  let background = fitToFrame(generated, width, height);
  let harmonisation: Harmonisation | undefined;
  if (options.harmonise) ({ image: background, harmonisation } = harmoniseBackground(background, original, mask));

  const recipe: Recipe = {
    groupName: CONTEXT_BACKGROUND_GROUP,
    width,
    height,
    layers: [
      { kind: 'pixel', name: CONTEXT_BACKGROUND_LAYER, blendMode: 'normal', opacity: 1, image: background },
      { kind: 'pixel', name: PIECE_LAYER, blendMode: 'normal', opacity: 1, image: opaque(original), mask },
    ],
    selections: [{ name: JEWELRY_SELECTION, mask }],
  };
  return { recipe, background, harmonisation, resized };
}

/** Fully covered pixels of the mask, eroded by `radius` px: where the piece must be the photo exactly. */
export function maskCore(mask: Mask, radius = 1): Mask {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let inside = data[y * w + x] === 255;
      for (let dy = -radius; inside && dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy < 0 || yy >= h || xx < 0 || xx >= w || data[yy * w + xx] !== 255) { inside = false; break; }
        }
      }
      out[y * w + x] = inside ? 255 : 0;
    }
  }
  return createMask(w, h, out);
}

/** Largest per-channel difference between two images inside the mask's core (code values). */
export function pieceCoreDeviation(original: Rgba8Image, result: Rgba8Image, mask: Mask, radius = 1): { maxDiff: number; corePixels: number } {
  const core = maskCore(mask, radius);
  let maxDiff = 0;
  let corePixels = 0;
  for (let i = 0; i < core.data.length; i++) {
    if (core.data[i] === 0) continue;
    corePixels++;
    for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(original.data[4 * i + c] - result.data[4 * i + c]));
  }
  return { maxDiff, corePixels };
}
