/**
 * Targeted sharpen (spec §B.5): a desaturated High Pass layer (grey 128 = no change) in Overlay, masked to
 * the piece, in a group "Loupe · Sharpen". Prongs, pavé and links crisp up; skin and backdrop are never
 * touched:
 *  - the layer mask is the fully covered part of the piece eroded 1 px (the antialiased rim mixes piece and
 *    backdrop), feathered σ 0.5 px and never above the piece mask;
 *  - the high pass never mixes the piece with its surroundings: inside the piece the blur is taken over
 *    piece pixels only (normalised convolution), so the silhouette gets no bright or dark rim (halo).
 * Radius: 0.5 px per 1000 px of the frame's long side as the piece fills it (the geometric mean of the
 * frame's long side and the piece's long side / 0.85, the Amazon fill), rounded to 0.1, clamped 0.6–3 px.
 * Work is limited to the piece's bounds.
 */
import { gaussianBlur } from '../gaussianBlur';
import { createMask, createRgba8, type Mask, type RgbaImage } from '../image';
import type { PixelLayer, Recipe } from '../../recipe/recipe';
import { checkPiece } from '../shadow/pieceChecks';

export const SHARPEN_GROUP = 'Loupe · Sharpen';

export interface TargetedSharpenOptions {
  readonly stonesMask?: Mask;
  /** Leave the stones out of the sharpening (needs stonesMask). */
  readonly excludeStones?: boolean;
  /** High Pass radius in px; default scaled to resolution and piece size. */
  readonly radiusPx?: number;
  readonly blendMode?: 'overlay' | 'soft light';
  /** Default 0.7 (spec: Overlay at 50–80 %). */
  readonly opacity?: number;
}

export interface TargetedSharpenPlan {
  readonly recipe: Recipe;
  readonly radiusPx: number;
  readonly notes: string[];
}

export function sharpenRadius(width: number, height: number, pieceLongSide: number): number {
  const effective = Math.sqrt(Math.max(width, height) * Math.min(Math.max(width, height), pieceLongSide / 0.85));
  return Math.min(3, Math.max(0.6, Math.round(5 * effective / 1000) / 10));
}

export function planTargetedSharpen(image: RgbaImage, jewelryMask: Mask, options: TargetedSharpenOptions = {}): TargetedSharpenPlan {
  const { width: W, height: H } = image;
  const piece = checkPiece(image, jewelryMask);
  const notes: string[] = [];
  const radius = options.radiusPx ?? sharpenRadius(W, H, Math.max(piece.x1 - piece.x0, piece.y1 - piece.y0));
  if (options.excludeStones && !options.stonesMask) notes.push('stones not excluded: no stones mask given');

  // Region to sharpen: the piece, minus the stones when asked.
  const m = jewelryMask.data;
  const region = new Uint8Array(W * H);
  const stones = options.excludeStones ? options.stonesMask?.data : undefined;
  for (let i = 0; i < region.length; i++) region[i] = stones ? (m[i] * (255 - stones[i]) + 127) / 255 : m[i];

  const margin = Math.ceil(3 * radius) + 3;
  const x0 = Math.max(0, piece.x0 - margin), y0 = Math.max(0, piece.y0 - margin);
  const x1 = Math.min(W, piece.x1 + margin), y1 = Math.min(H, piece.y1 + margin);
  const ww = x1 - x0, wh = y1 - y0;
  const scale = image.depth === 8 ? 1 : 1 / 257;
  const lum = new Float32Array(ww * wh), inW = new Float32Array(ww * wh), outW = new Float32Array(ww * wh);
  const lumIn = new Float32Array(ww * wh), lumOut = new Float32Array(ww * wh);
  for (let y = 0; y < wh; y++) {
    for (let x = 0; x < ww; x++) {
      const i = (y + y0) * W + x + x0, o = y * ww + x;
      const d = image.data;
      lum[o] = (0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2]) * scale;
      inW[o] = m[i] / 255;
      outW[o] = 1 - inW[o];
      lumIn[o] = lum[o] * inW[o];
      lumOut[o] = lum[o] * outW[o];
    }
  }
  // Normalised blurs: the piece's own surroundings inside it, the backdrop's outside it.
  const bIn = gaussianBlur(lumIn, ww, wh, radius), wIn = gaussianBlur(inW, ww, wh, radius);
  const bOut = gaussianBlur(lumOut, ww, wh, radius), wOut = gaussianBlur(outW, ww, wh, radius);

  // Mask: eroded 1 px (3×3 minimum), feathered σ 0.5 px, never above the region itself.
  const eroded = new Float32Array(ww * wh);
  for (let y = 0; y < wh; y++) {
    for (let x = 0; x < ww; x++) {
      let v = 255;
      for (let dy = -1; dy <= 1 && v > 0; dy++) for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy + y0, xx = x + dx + x0;
        // Only fully covered pixels survive: the antialiased rim mixes piece and backdrop and would halo.
        v = yy < 0 || yy >= H || xx < 0 || xx >= W || region[yy * W + xx] < 250 ? 0 : v;
      }
      eroded[y * ww + x] = v;
    }
  }
  const feathered = gaussianBlur(eroded, ww, wh, 0.5);

  const layerImage = createRgba8(W, H);
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < wh; y++) {
    for (let x = 0; x < ww; x++) {
      const o = y * ww + x, i = (y + y0) * W + x + x0;
      const inside = inW[o] >= 0.5;
      const base = inside ? (wIn[o] > 1e-6 ? bIn[o] / wIn[o] : lum[o]) : (wOut[o] > 1e-6 ? bOut[o] / wOut[o] : lum[o]);
      const v = Math.max(0, Math.min(255, Math.round(128 + lum[o] - base)));
      const d = layerImage.data;
      d[4 * i] = d[4 * i + 1] = d[4 * i + 2] = v;
      d[4 * i + 3] = 255;
      mask[i] = Math.min(region[i], Math.round(feathered[o]));
    }
  }
  const name = `Sharpen · high pass ${radius.toFixed(1)} px`;
  const layer: PixelLayer = {
    kind: 'pixel', name, blendMode: options.blendMode ?? 'overlay', opacity: options.opacity ?? 0.7,
    mask: createMask(W, H, mask), image: layerImage,
  };
  return { recipe: { groupName: SHARPEN_GROUP, width: W, height: H, layers: [layer] }, radiusPx: radius, notes };
}
