import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureFidelity } from '../../../src/engine/fidelity/measureFidelity';
import { judgeFidelity } from '../../../src/engine/fidelity/judgeFidelity';
import { buildFidelityOverlay, FIDELITY_GROUP } from '../../../src/engine/fidelity/overlayRecipe';
import { renderRecipe } from '../../../src/recipe/compositor';
import { SCENES, solitairePaintedOut } from './damages';

test('the overlay is a hidden "Loupe · Fidelity" group: the composite is the result, the heat sits on the damage', async () => {
  const s = await SCENES.sample();
  const result = solitairePaintedOut(s);
  const m = measureFidelity(s.image, result, { jewelryMask: s.mask, stonesMask: s.stones });
  const overlay = buildFidelityOverlay(m, judgeFidelity(m, 'listing'));
  assert.equal(overlay.groupName, FIDELITY_GROUP);
  assert.equal(overlay.layers.length, 3);
  for (const l of overlay.layers) assert.equal(l.visible, false, l.name);
  assert.ok(Buffer.from(renderRecipe(result, overlay).data).equals(Buffer.from(result.data)), 'hidden layers changed the composite');

  // Heat (alpha) of the structure layer: inside the painted stone vs on untouched band and backdrop.
  const heat = overlay.layers[0];
  assert.equal(heat.kind, 'pixel');
  if (heat.kind !== 'pixel') return;
  const st = s.stones;
  assert.ok(st);
  let onStone = 0, stoneN = 0, offPiece = 0;
  for (let i = 0; i < st.data.length; i++) {
    const a = heat.image.data[i * 4 + 3];
    if (st.data[i] >= 250) { stoneN++; if (a > 0) onStone++; }
    if (s.mask.data[i] === 0 && a > 0) offPiece++;
  }
  assert.ok(onStone / stoneN > 0.5, `heat on ${onStone} of ${stoneN} stone pixels`);
  assert.equal(offPiece, 0);
  // The failed-checks layer outlines the lost stone.
  const boxes = overlay.layers[2];
  assert.ok(boxes.kind === 'pixel' && boxes.image.data.some((v, i) => i % 4 === 3 && v > 0));
});
