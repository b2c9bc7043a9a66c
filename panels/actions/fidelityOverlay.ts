/**
 * The Fidelity check's "Show changes on the image", the part both hosts share: which heatmaps there are,
 * their colours and legend, and the pixels (src/engine/fidelity/overlayRecipe.ts). Photoshop writes every
 * heatmap as the hidden "Loupe · Fidelity" group; the browser harness draws one view over its preview.
 */
import { createRgba8, type Rgba8Image } from '../../src/engine/image';
import type { FidelityMeasures } from '../../src/engine/fidelity/measureFidelity';
import type { FidelityVerdict } from '../../src/engine/fidelity/judgeFidelity';
import {
  BOX_RGB, STRUCTURE_HEAT_RANGE, buildFidelityOverlay, colourHeat, heatRgb, problemBoxes, structureHeat,
} from '../../src/engine/fidelity/overlayRecipe';
import type { CheckOverlay, LegendEntry, OverlayView } from '../host';

const css = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

const FAILED_BOX: LegendEntry = { colour: css(BOX_RGB), meaning: 'box: a failed check' };

/** Views bottom → top of the retoucher's interest: what changed in the detail first, then in the colour. */
export const FIDELITY_VIEWS: readonly OverlayView[] = [
  {
    id: 'structure',
    label: 'Detail changed',
    legend: [
      { colour: css(heatRgb(0)), meaning: `detail slightly changed (structure below ${STRUCTURE_HEAT_RANGE.clean})` },
      { colour: css(heatRgb(1)), meaning: `detail lost (structure ${STRUCTURE_HEAT_RANGE.full} or less)` },
      FAILED_BOX,
    ],
  },
  {
    id: 'colour',
    label: 'Colour change',
    legend: [
      { colour: css(heatRgb(0)), meaning: 'ΔE00 1: seen close up' },
      { colour: css(heatRgb(0.5)), meaning: 'ΔE00 2: seen at a glance' },
      { colour: css(heatRgb(1)), meaning: 'ΔE00 5 or more' },
      FAILED_BOX,
    ],
  },
];

export function fidelityOverlay(m: FidelityMeasures, verdict: FidelityVerdict): CheckOverlay {
  return {
    width: m.width,
    height: m.height,
    views: FIDELITY_VIEWS,
    layers: () => buildFidelityOverlay(m, verdict),
    heatmap(viewId) {
      const heat = viewId === 'structure' ? structureHeat(m) : viewId === 'colour' ? colourHeat(m) : null;
      if (!heat) throw new Error(`unknown heatmap "${viewId}"`);
      // Failed checks boxed on every view: the heat says how much, the box says it matters.
      return stacked(heat, problemBoxes(m.width, m.height, verdict));
    },
  };
}

/** `upper` over `lower`, both translucent (Porter–Duff source-over, straight alpha). */
export function stacked(lower: Rgba8Image, upper: Rgba8Image): Rgba8Image {
  const out = new Uint8Array(lower.data.length);
  const l = lower.data, u = upper.data;
  for (let p = 0; p < out.length; p += 4) {
    const au = u[p + 3] / 255, al = l[p + 3] / 255;
    const a = au + al * (1 - au);
    if (a === 0) continue;
    for (let k = 0; k < 3; k++) out[p + k] = Math.round((u[p + k] * au + l[p + k] * al * (1 - au)) / a);
    out[p + 3] = Math.round(255 * a);
  }
  return createRgba8(lower.width, lower.height, out);
}
