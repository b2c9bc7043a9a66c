/** The shared part of "Show changes": views, legend colours taken from the heatmaps' own, and the stacking of heat and boxes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRgba8 } from '../../src/engine/image.ts';
import { BOX_RGB, heatRgb } from '../../src/engine/fidelity/overlayRecipe.ts';
import { FIDELITY_VIEWS, stacked } from '../../panels/actions/fidelityOverlay.ts';

test('two views, detail then colour, each with the failed-check box in its legend, in the heatmaps\' own colours', () => {
  assert.deepEqual(FIDELITY_VIEWS.map((v) => v.id), ['structure', 'colour']);
  const rgb = (c: readonly number[]) => `rgb(${c.join(', ')})`;
  for (const view of FIDELITY_VIEWS) assert.equal(view.legend.at(-1)?.colour, rgb(BOX_RGB));
  assert.deepEqual(FIDELITY_VIEWS[1].legend.slice(0, 3).map((e) => e.colour), [rgb(heatRgb(0)), rgb(heatRgb(0.5)), rgb(heatRgb(1))]);
});

test('stacking: an opaque box covers the heat, translucent heat over nothing keeps its alpha, empty stays empty', () => {
  const heat = createRgba8(3, 1, new Uint8Array([255, 230, 0, 128, 255, 0, 0, 200, 0, 0, 0, 0]));
  const boxes = createRgba8(3, 1, new Uint8Array([0, 0, 0, 0, ...BOX_RGB, 255, 0, 0, 0, 0]));
  assert.deepEqual([...stacked(heat, boxes).data], [255, 230, 0, 128, ...BOX_RGB, 255, 0, 0, 0, 0]);
  const half = createRgba8(1, 1, new Uint8Array([0, 0, 255, 128]));
  const [r, , b, a] = stacked(createRgba8(1, 1, new Uint8Array([255, 0, 0, 255])), half).data;
  assert.equal(a, 255);
  assert.ok(Math.abs(r - 127) <= 1 && Math.abs(b - 128) <= 1, `${r}, ${b}`);
});
