/**
 * Contact shadow (spec §B.4): the finishing move that makes a piece sit on its surface instead of floating.
 * Two black pixel layers in Multiply, each masked by the inverse of the jewelry mask (so they never paint
 * into the piece: visually the same as layers below a cut-out piece), in a group "Loupe · Contact shadow":
 *  - "Contact shadow · line": a thin dense line under the lowest part of the piece (where it touches the
 *    surface), 70 % opacity; core about L* 45 on white; width ~2 px and σ ~0.8 px at 2000 px, scaled.
 *  - "Contact shadow · cast": the silhouette projected onto the floor away from the light (squashed, as a
 *    floor seen in perspective), Gaussian-blurred (σ 2–4 % of the piece height, softer further out), 30 %
 *    opacity, faded to nothing within 8 % of the image height of the contact line.
 * The outer 2 % border band is never darkened (marketplace rule §C). On a coloured surface (skin) the
 * shadow is a deep shade of that surface's colour instead of black, as a retoucher would pick it.
 *
 * Light angle follows Photoshop's Drop Shadow convention: 0° = light from the right, 90° = from above,
 * 180° = from the left; the shadow falls away from it. Work is limited to the piece's bounds plus the
 * shadow's reach.
 */
import { SRGB8_TO_LINEAR, srgbToLab } from '../color';
import { gaussianBlur } from '../gaussianBlur';
import { createRgba8, type Mask, type RgbaImage } from '../image';
import type { PixelWindow } from '../maskWindow';
import type { PixelLayer, Recipe } from '../../recipe/recipe';
import { checkPiece, PIECE_COVERAGE } from './pieceChecks';

export const CONTACT_SHADOW_GROUP = 'Loupe · Contact shadow';
export const CONTACT_LINE_LAYER = 'Contact shadow · line';
export const CAST_SHADOW_LAYER = 'Contact shadow · cast';

export interface ContactShadowOptions {
  /** Where the light comes from, degrees (Photoshop convention); estimated from the piece's highlights when absent. */
  readonly lightAngleDeg?: number;
  /** Amazon main image: no shadows allowed, so the layers are written hidden (turn them on for alternates). */
  readonly amazonMain?: boolean;
  readonly lineOpacity?: number;
  readonly castOpacity?: number;
}

export interface ContactShadowPlan {
  readonly recipe: Recipe;
  readonly lightAngleDeg: number;
  readonly lightFrom: 'given' | 'highlights' | 'default';
  /** Contact line: columns [x0, x1) at row y (just below the piece). */
  readonly contact: { readonly x0: number; readonly x1: number; readonly y: number };
  readonly notes: string[];
}

const LINE_CORE_ALPHA = 0.83; // × 70 % opacity = 58 % darkening: 255 → 107, L* ≈ 45 on white
const BORDER_BAND = 0.02;
const REACH = 0.08;

export function planContactShadow(image: RgbaImage, jewelryMask: Mask, options: ContactShadowOptions = {}): ContactShadowPlan {
  const { width: W, height: H } = image;
  const piece = checkPiece(image, jewelryMask, { wholePieceInFrame: true });
  const m = jewelryMask.data;
  const notes: string[] = [];
  const pieceH = piece.y1 - piece.y0;
  const bottom = piece.y1 - 1;
  const scale = Math.max(0.5, Math.max(W, H) / 2000);

  // Lowest piece pixel per column; contact where it lies within 3 % of the piece height of the bottom.
  const tolerance = Math.max(2, 0.03 * pieceH);
  const lowest = new Int32Array(W).fill(-1);
  let cx0 = W, cx1 = -1;
  for (let x = piece.x0; x < piece.x1; x++) {
    for (let y = bottom; y >= bottom - tolerance && y >= piece.y0; y--) {
      if (m[y * W + x] >= PIECE_COVERAGE) { lowest[x] = y; break; }
    }
    if (lowest[x] >= 0) { cx0 = Math.min(cx0, x); cx1 = Math.max(cx1, x + 1); }
  }

  const { angle, from } = options.lightAngleDeg !== undefined && Number.isFinite(options.lightAngleDeg)
    ? { angle: options.lightAngleDeg, from: 'given' as const }
    : estimateLightAngle(image, jewelryMask, piece);
  if (from === 'default') notes.push('no clear light direction in the piece: light from above assumed (set it with --light)');

  const reach = Math.round(REACH * H);
  const sigmaFar = Math.max(1.5, 0.04 * pieceH);
  const border = Math.max(2, Math.round(BORDER_BAND * Math.min(W, H)));
  const win: PixelWindow = {
    x0: Math.max(0, piece.x0 - reach), x1: Math.min(W, piece.x1 + reach),
    y0: Math.max(0, piece.y0 - Math.round(3 * sigmaFar)), y1: Math.min(H, bottom + reach + 1),
  };
  const ww = win.x1 - win.x0, wh = win.y1 - win.y0;

  // Contact line: a short run of rows just under the silhouette, full strength where the piece is lowest.
  const lineWidth = Math.max(1, Math.round(2 * scale));
  // Drawn and blurred only in the few rows around the contact (the line's own small window).
  const lineSigma = 0.8 * scale;
  const ly0 = Math.max(win.y0, Math.floor(bottom - tolerance - 3 * lineSigma - 1));
  const ly1 = Math.min(win.y1, Math.ceil(bottom + lineWidth + 3 * lineSigma + 2));
  const lh = ly1 - ly0;
  const line = new Float32Array(ww * lh);
  for (let x = cx0; x < cx1; x++) {
    if (lowest[x] < 0) continue;
    const gap = bottom - lowest[x];
    const strength = gap <= tolerance / 3 ? 1 : Math.max(0, 1 - (gap - tolerance / 3) / ((2 * tolerance) / 3));
    for (let y = lowest[x] + 1; y <= lowest[x] + lineWidth && y < ly1; y++) line[(y - ly0) * ww + (x - win.x0)] = strength;
  }
  const lineBlur = gaussianBlur(line, ww, lh, lineSigma);

  // Cast: project each piece pixel onto the floor away from the light, by its height above the contact.
  const rad = (angle * Math.PI) / 180;
  const dx = -Math.cos(rad), dy = Math.sin(rad); // image coordinates (y down)
  const length = Math.hypot(0.5 * dx, 0.25 * dy) || 1;
  const k = Math.min(1, (0.55 * reach) / (pieceH * length));
  const sx = 0.5 * dx * k, sy = 0.25 * dy * k;
  const proj = new Float32Array(ww * wh);
  const density = Math.max(Math.abs(sy), 0.02);
  for (let y = piece.y0; y <= bottom; y++) {
    const h = bottom - y;
    const ty = Math.round(bottom + h * sy) - win.y0;
    if (ty < 0 || ty >= wh) continue;
    const shift = h * sx;
    for (let x = piece.x0; x < piece.x1; x++) {
      const c = m[y * W + x];
      if (c === 0) continue;
      const tx = Math.round(x + shift) - win.x0;
      if (tx < 0 || tx >= ww) continue;
      // Accumulate density (rows squeezed together add up), so a thin band casts a lighter shadow than a
      // solid body and the shadow's mass follows the light.
      proj[ty * ww + tx] += (c / 255) * density;
    }
  }
  for (let i = 0; i < proj.length; i++) if (proj[i] > 1) proj[i] = 1;
  const near = gaussianBlur(proj, ww, wh, Math.max(1, 0.02 * pieceH));
  const far = gaussianBlur(proj, ww, wh, sigmaFar);

  const lean = Math.round(dx * 0.4 * reach);
  const sx0 = cx0 + Math.min(0, lean), sx1 = cx1 + Math.max(0, lean);
  const tint = shadowTint(image, jewelryMask, piece);
  const lineImage = createRgba8(W, H);
  const castImage = createRgba8(W, H);
  const inverse = new Uint8Array(W * H).fill(255);
  for (let i = 0; i < m.length; i++) inverse[i] = 255 - m[i];
  for (let y = win.y0; y < win.y1; y++) {
    for (let x = win.x0; x < win.x1; x++) {
      if (x < border || x >= W - border || y < border || y >= H - border) continue;
      const o = (y - win.y0) * ww + (x - win.x0);
      // Distance from the contact segment: the shadow has faded out by `reach` (spec §B.4).
      // The segment is stretched away from the light, so a side light lengthens the shadow on its far side.
      const ox = x < sx0 ? sx0 - x : x >= sx1 ? x - sx1 + 1 : 0;
      const dyc = y - bottom;
      const t = Math.min(1, Math.sqrt(ox * ox + dyc * dyc) / reach);
      const fade = 1 - t * t * (3 - 2 * t);
      const cast = ((1 - t) * near[o] + t * far[o]) * fade;
      const p = (y * W + x) * 4;
      put(castImage.data, p, tint, cast);
      if (y >= ly0 && y < ly1) put(lineImage.data, p, tint, Math.min(1, lineBlur[(y - ly0) * ww + (x - win.x0)] * 2.5) * LINE_CORE_ALPHA);
    }
  }

  const visible = !options.amazonMain;
  if (options.amazonMain) notes.push('Amazon main image: shadow layers written hidden (no shadows on the main image); turn them on for alternate images');
  const mask = { width: W, height: H, data: inverse };
  const layers: PixelLayer[] = [
    { kind: 'pixel', name: CAST_SHADOW_LAYER, blendMode: 'multiply', opacity: options.castOpacity ?? 0.3, mask, image: castImage, visible },
    { kind: 'pixel', name: CONTACT_LINE_LAYER, blendMode: 'multiply', opacity: options.lineOpacity ?? 0.7, mask, image: lineImage, visible },
  ];
  return {
    recipe: { groupName: CONTACT_SHADOW_GROUP, width: W, height: H, layers },
    lightAngleDeg: Math.round(angle),
    lightFrom: from,
    contact: { x0: cx0, x1: cx1, y: bottom + 1 },
    notes,
  };
}

function put(data: Uint8Array, p: number, tint: readonly number[], alpha: number): void {
  const a = Math.round(Math.max(0, Math.min(1, alpha)) * 255);
  if (a === 0) return;
  data[p] = tint[0]; data[p + 1] = tint[1]; data[p + 2] = tint[2]; data[p + 3] = a;
}

/**
 * Light direction from the piece's highlights: the brightest tenth of the piece sits toward the light.
 * Only the horizontal offset is trusted (a packshot's key light is above; the floor lights the bottom).
 */
export function estimateLightAngle(image: RgbaImage, jewelryMask: Mask, piece: PixelWindow): { angle: number; from: 'highlights' | 'default' } {
  const { width: W } = image;
  const scale = image.depth === 8 ? 1 : 1 / 257;
  const hist = new Float64Array(256);
  const lumas: number[] = [];
  const xs: number[] = [];
  for (let y = piece.y0; y < piece.y1; y++) {
    for (let x = piece.x0; x < piece.x1; x++) {
      const i = y * W + x;
      if (jewelryMask.data[i] < PIECE_COVERAGE) continue;
      const l = Math.round((0.299 * image.data[4 * i] + 0.587 * image.data[4 * i + 1] + 0.114 * image.data[4 * i + 2]) * scale);
      hist[l]++;
      lumas.push(l);
      xs.push(x);
    }
  }
  let cut = 255, acc = 0;
  while (cut > 0 && acc + hist[cut] < 0.1 * lumas.length) acc += hist[cut--];
  let sum = 0, bright = 0, n = 0;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i];
    if (lumas[i] >= cut) { bright += xs[i]; n++; }
  }
  const half = (piece.x1 - piece.x0) / 2;
  const offset = n > 0 && xs.length > 0 ? (bright / n - sum / xs.length) / half : 0;
  if (Math.abs(offset) < 0.08) return { angle: 90, from: 'default' };
  return { angle: 90 - 60 * Math.max(-1, Math.min(1, offset * 2.5)), from: 'highlights' };
}

/** Black on a neutral surface; on a coloured one (skin) a deep shade of its own colour (L* 15, hue kept). */
function shadowTint(image: RgbaImage, jewelryMask: Mask, piece: PixelWindow): [number, number, number] {
  const { width: W, height: H } = image;
  const scale = image.depth === 8 ? 1 : 1 / 257;
  let r = 0, g = 0, b = 0, n = 0;
  const pad = Math.max(4, Math.round(0.05 * (piece.y1 - piece.y0)));
  for (let y = piece.y1; y < Math.min(H, piece.y1 + pad); y++) {
    for (let x = piece.x0; x < piece.x1; x++) {
      const i = y * W + x;
      if (jewelryMask.data[i] !== 0) continue;
      r += SRGB8_TO_LINEAR[Math.round(image.data[4 * i] * scale)];
      g += SRGB8_TO_LINEAR[Math.round(image.data[4 * i + 1] * scale)];
      b += SRGB8_TO_LINEAR[Math.round(image.data[4 * i + 2] * scale)];
      n++;
    }
  }
  if (n === 0) return [0, 0, 0];
  const [, a, bb] = srgbToLab(encode(r / n), encode(g / n), encode(b / n));
  if (Math.hypot(a, bb) < 8) return [0, 0, 0];
  // Same chromaticity, much darker: scale the linear colour down to luminance ≈ 0.02 (L* ≈ 15).
  const Y = 0.2126 * (r / n) + 0.7152 * (g / n) + 0.0722 * (b / n);
  const k = 0.02 / Math.max(Y, 1e-4);
  return [r, g, b].map((v) => Math.round(255 * encode((v / n) * k))) as [number, number, number];
}

/** Linear light → sRGB-encoded 0..1. */
function encode(v: number): number {
  const c = Math.max(0, Math.min(1, v));
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}
