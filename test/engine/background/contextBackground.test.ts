/**
 * Context background compositing on the bundled sample with its exact mask: whatever the generator returns
 * (another size, shifted, the piece repainted, transparent), the rendered result inside the mask core is
 * the photo to within 1 code value; outside the piece it is the (fitted) generated scene.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRgba8, toRgba8, type Mask, type Rgba8Image } from '../../../src/engine/image';
import { readImageFile, readMaskFile } from '../../../src/hosts/psd/readImageFile';
import { renderRecipe } from '../../../src/recipe/compositor';
import {
  CONTEXT_BACKGROUND_GROUP, CONTEXT_BACKGROUND_LAYER, GeneratedImageError, PIECE_LAYER,
  fitToFrame, pieceCoreDeviation, planContextBackground, surroundRing,
} from '../../../src/engine/background/contextBackground';
import { renderStudioBackdrop } from '../../../src/engine/background/studioBackdrops';
import { PROMPT_PRESETS, findPromptPreset } from '../../../src/engine/background/promptPresets';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function sample(): Promise<{ photo: Rgba8Image; mask: Mask }> {
  const photo = toRgba8(await readImageFile(join(root, 'samples', 'ring-yellow-gold-warm-cast.png')));
  const mask = await readMaskFile(join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png'), photo.width, photo.height);
  return { photo, mask };
}

/** A busy synthetic "generated scene": diagonal stripes, so any misplacement would show. */
function scene(w: number, h: number, paint?: (x: number, y: number) => [number, number, number] | null): Rgba8Image {
  const d = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = 4 * (y * w + x);
    const p = paint?.(x, y) ?? [((x + y) >> 3) % 2 ? 40 : 200, (x * 7) % 256, (y * 3) % 256];
    d[i] = p[0]; d[i + 1] = p[1]; d[i + 2] = p[2]; d[i + 3] = 255;
  }
  return createRgba8(w, h, d);
}

function assertPieceExact(photo: Rgba8Image, mask: Mask, generated: Rgba8Image, harmonise = false): Rgba8Image {
  const plan = planContextBackground(photo, mask, generated, { harmonise });
  const result = renderRecipe(photo, plan.recipe);
  const { maxDiff, corePixels } = pieceCoreDeviation(photo, result, mask);
  assert.ok(corePixels > 1000, `core has ${corePixels} pixels`);
  assert.ok(maxDiff <= 1, `piece changed by ${maxDiff} codes inside the mask core`);
  // Outside the piece (mask 0) the result is the fitted background, not the photo.
  let differs = 0, outside = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] !== 0) continue;
    outside++;
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(result.data[4 * i + c] - plan.background.data[4 * i + c]) <= 1);
    if (Math.abs(result.data[4 * i] - photo.data[4 * i]) > 3) differs++;
  }
  assert.ok(differs > outside * 0.3, 'the background was replaced');
  return result;
}

test('recipe: the generated scene under the photo\'s own pixels masked by the jewelry mask', async () => {
  const { photo, mask } = await sample();
  const plan = planContextBackground(photo, mask, scene(photo.width, photo.height));
  assert.equal(plan.recipe.groupName, CONTEXT_BACKGROUND_GROUP);
  assert.deepEqual(plan.recipe.layers.map((l) => l.name), [CONTEXT_BACKGROUND_LAYER, PIECE_LAYER]);
  const piece = plan.recipe.layers[1];
  assert.equal(piece.mask, mask);
  assert.equal(plan.resized, false);
  assert.deepEqual(plan.recipe.selections?.map((s) => s.name), ['Jewelry']);
});

test('same size, other size, other aspect, shifted, piece repainted, transparent: the piece core stays exact', async () => {
  const { photo, mask } = await sample();
  const { width: w, height: h } = photo;
  assertPieceExact(photo, mask, scene(w, h));
  assertPieceExact(photo, mask, scene(1024, 1024));
  assertPieceExact(photo, mask, scene(Math.round(w / 3), Math.round(h / 2)));
  // A generator that shifted the whole photo by 9 px and repainted the piece red.
  assertPieceExact(photo, mask, scene(w, h, (x, y) => {
    const sx = Math.min(w - 1, x + 9);
    return mask.data[y * w + sx] > 0 ? [255, 0, 0] : null;
  }));
  const transparent = scene(w, h);
  for (let i = 3; i < transparent.data.length; i += 4) transparent.data[i] = 0;
  assertPieceExact(photo, mask, transparent);
});

test('harmonisation moves the background toward the photo\'s light around the piece, never the piece', async () => {
  const { photo, mask } = await sample();
  const dark = scene(photo.width, photo.height, () => [200, 205, 225]); // a little dark and blue
  const plan = planContextBackground(photo, mask, dark, { harmonise: true });
  assert.ok(plan.harmonisation && plan.harmonisation.ringPixels > 0);
  const ring = surroundRing(mask);
  const meanIn = (img: Rgba8Image): number => {
    let s = 0, n = 0;
    for (let i = 0; i < ring.data.length; i++) if (ring.data[i]) { s += img.data[4 * i] + img.data[4 * i + 1] + img.data[4 * i + 2]; n++; }
    return s / n / 3;
  };
  const before = Math.abs(meanIn(dark) - meanIn(photo));
  const after = Math.abs(meanIn(plan.background) - meanIn(photo));
  assert.ok(after < before * 0.5, `ring mean gap ${before.toFixed(1)} → ${after.toFixed(1)}`);
  assertPieceExact(photo, mask, dark, true);
});

test('absurd generator outputs are refused with a plain sentence', async () => {
  const { photo, mask } = await sample();
  assert.throws(() => fitToFrame({ width: 40000, height: 10, depth: 8, data: new Uint8Array(0) }, photo.width, photo.height), GeneratedImageError);
  assert.throws(() => planContextBackground(photo, { ...mask, data: new Uint8Array(mask.data.length) }, scene(8, 8)), /mask is empty/);
  assert.throws(() => planContextBackground(photo, { ...mask, data: new Uint8Array(mask.data.length).fill(255) }, scene(8, 8)), /inverted/);
});

test('studio backdrops: marketplace white is 255 exactly; sweep and gradient are smooth and light', async () => {
  const white = renderStudioBackdrop('marketplace-white', 64, 48);
  assert.ok(white.data.every((v) => v === 255));
  for (const kind of ['seamless-sweep', 'gradient'] as const) {
    const b = renderStudioBackdrop(kind, 16, 200);
    let maxStep = 0;
    for (let y = 1; y < 200; y++) maxStep = Math.max(maxStep, Math.abs(b.data[4 * 16 * y] - b.data[4 * 16 * (y - 1)]));
    assert.ok(maxStep <= 2, `${kind}: no visible band (step ${maxStep})`);
    assert.ok(b.data[0] >= 200 && b.data[0] < 255, `${kind} top ${b.data[0]}`);
  }
  const { photo, mask } = await sample();
  assertPieceExact(photo, mask, renderStudioBackdrop('seamless-sweep', photo.width, photo.height));
});

test('prompt presets describe the scene only', () => {
  assert.ok(PROMPT_PRESETS.length >= 4);
  for (const p of PROMPT_PRESETS) assert.match(p.prompt, /no jewelry/);
  assert.equal(findPromptPreset('Marble')?.name, 'marble');
  assert.equal(findPromptPreset('nope'), undefined);
});
