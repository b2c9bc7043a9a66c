/**
 * The fidelity overlay as a recipe: a "Loupe · Fidelity" group of heatmap pixel layers over the piece,
 * all hidden, so an export never carries them by accident (hidden layers are not in the composite); the
 * retoucher turns one on to see where the result departs from the original.
 */
import { createRgba8, type Rgba8Image } from '../image';
import type { Recipe, RecipeLayer } from '../../recipe/recipe';
import type { FidelityMeasures } from './measureFidelity';
import type { FidelityVerdict } from './judgeFidelity';

export const FIDELITY_GROUP = 'Loupe · Fidelity';

/** Structure kept above this shows nothing; below it the heat rises to full at STRUCTURE_FULL. */
const STRUCTURE_CLEAN = 0.95, STRUCTURE_FULL = 0.5;

/** The group's layers, bottom → top. */
export const FIDELITY_LAYERS = {
  structure: 'Fidelity · structure changed (red = detail lost)',
  colour: 'Fidelity · colour change ΔE00 (yellow 1, orange 2, red 5+)',
  failed: 'Fidelity · failed checks (boxes)',
} as const;

/** Outline colour of a failed check's box. */
export const BOX_RGB: readonly [number, number, number] = [255, 0, 64];

export function buildFidelityOverlay(m: FidelityMeasures, verdict: FidelityVerdict): Recipe {
  const layers: RecipeLayer[] = [
    hidden(FIDELITY_LAYERS.structure, structureHeat(m)),
    hidden(FIDELITY_LAYERS.colour, colourHeat(m)),
    hidden(FIDELITY_LAYERS.failed, problemBoxes(m.width, m.height, verdict)),
  ];
  return { groupName: FIDELITY_GROUP, width: m.width, height: m.height, layers };
}

function hidden(name: string, image: Rgba8Image): RecipeLayer {
  return { kind: 'pixel', name, blendMode: 'normal', opacity: 1, visible: false, image };
}

/** Loss of structure (1 − s) on the piece, as translucent yellow → red. */
export function structureHeat(m: FidelityMeasures): Rgba8Image {
  const { win, w, h, mask } = m.frame;
  const out = new Uint8Array(m.width * m.height * 4);
  const s = m.structure.csMap;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = y * w + x;
      if (mask[c] < 128) continue;
      const t = clamp01((STRUCTURE_CLEAN - s[c]) / (STRUCTURE_CLEAN - STRUCTURE_FULL));
      if (t <= 0) continue;
      paint(out, ((win.y0 + y) * m.width + win.x0 + x) * 4, t);
    }
  }
  return createRgba8(m.width, m.height, out);
}

/** ΔE00 original → result on the piece (grid cells of `heatStep` px). */
export function colourHeat(m: FidelityMeasures): Rgba8Image {
  const out = new Uint8Array(m.width * m.height * 4);
  const c = m.colour;
  if (!c) return createRgba8(m.width, m.height, out);
  const { win, w, h, mask } = m.frame;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (mask[y * w + x] < 128) continue;
      const dE = c.heat[Math.floor(y / c.heatStep) * c.heatWidth + Math.floor(x / c.heatStep)];
      if (!(dE >= 1)) continue;
      // 1 → yellow, 2 → orange, 5+ → red (spec §D.3: 1–2 perceptible close up, > 2 at a glance).
      const t = dE >= 5 ? 1 : dE >= 2 ? 0.5 + (0.5 * (dE - 2)) / 3 : (0.5 * (dE - 1));
      paint(out, ((win.y0 + y) * m.width + win.x0 + x) * 4, t);
    }
  }
  return createRgba8(m.width, m.height, out);
}

/** Outlines (3 px, red) around every failing check's `where`. */
export function problemBoxes(width: number, height: number, verdict: FidelityVerdict): Rgba8Image {
  const out = new Uint8Array(width * height * 4);
  const line = Math.max(2, Math.round(Math.min(width, height) / 600));
  for (const check of verdict.checks) {
    if (check.verdict !== 'fail') continue;
    for (const r of check.where ?? []) {
      const x0 = Math.max(0, r.x), y0 = Math.max(0, r.y);
      const x1 = Math.min(width, r.x + r.width), y1 = Math.min(height, r.y + r.height);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          if (x - x0 >= line && x1 - 1 - x >= line && y - y0 >= line && y1 - 1 - y >= line) continue;
          out.set([...BOX_RGB, 255], (y * width + x) * 4);
        }
      }
    }
  }
  return createRgba8(width, height, out);
}

/** Translucent heat colour: t 0..1 from yellow (255, 230, 0) to red (255, 0, 0), alpha 0.35 → 0.85. */
function paint(out: Uint8Array, p: number, t: number): void {
  out.set(heatRgb(t), p);
  out[p + 3] = Math.round(255 * (0.35 + 0.5 * t));
}

/** The heat colour at t (0 yellow, 0.5 orange, 1 red), shared with the panel's legend. */
export function heatRgb(t: number): [number, number, number] {
  return [255, Math.round(230 * (1 - t)), 0];
}

/** Where the structure heat is yellow and where it is full red, for legends. */
export const STRUCTURE_HEAT_RANGE = { clean: STRUCTURE_CLEAN, full: STRUCTURE_FULL } as const;

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** A layer's pixels over an image (normal blend), e.g. a heatmap over the result for a report. */
export function over(base: Rgba8Image, layer: Rgba8Image): Rgba8Image {
  const out = Uint8Array.from(base.data);
  for (let p = 0; p < out.length; p += 4) {
    const a = layer.data[p + 3] / 255;
    if (a === 0) continue;
    for (let k = 0; k < 3; k++) out[p + k] = Math.round(out[p + k] * (1 - a) + layer.data[p + k] * a);
  }
  return createRgba8(base.width, base.height, out);
}
