/**
 * Contact shadow on a floating piece: the bundled ring cut out with its exact mask and pasted on a clean
 * white backdrop (no shadow at all). The fidelity contact check (#5, spec §E.7) must fail before and pass
 * after; the piece, the border band and the far floor must stay untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMask, createRgba8, toRgba8, type Mask, type Rgba8Image } from '../../../src/engine/image';
import { readImageFile, readMaskFile } from '../../../src/hosts/psd/readImageFile';
import { renderRecipe } from '../../../src/recipe/compositor';
import { checkContact } from '../../../src/engine/fidelity/contactCheck';
import { CAST_SHADOW_LAYER, CONTACT_LINE_LAYER, CONTACT_SHADOW_GROUP, planContactShadow } from '../../../src/engine/shadow/contactShadow';
import { PieceError } from '../../../src/engine/shadow/pieceChecks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BACKDROP = [250, 250, 250];

async function floatingRing(): Promise<{ image: Rgba8Image; mask: Mask }> {
  const photo = toRgba8(await readImageFile(join(root, 'samples', 'ring-yellow-gold-neutral.png')));
  const mask = await readMaskFile(join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png'), photo.width, photo.height);
  const out = new Uint8Array(photo.data.length);
  for (let i = 0; i < mask.data.length; i++) {
    const a = mask.data[i] / 255;
    for (let c = 0; c < 3; c++) out[4 * i + c] = Math.round(photo.data[4 * i + c] * a + BACKDROP[c] * (1 - a));
    out[4 * i + 3] = 255;
  }
  return { image: createRgba8(photo.width, photo.height, out), mask };
}

const scene = floatingRing();

test('a floating ring fails the contact check before the shadow and passes after', async () => {
  const { image, mask } = await scene;
  const before = checkContact(image, mask);
  assert.equal(before.verdict, 'fail', `before: ${before.detail}`);
  const plan = planContactShadow(image, mask);
  assert.equal(plan.recipe.groupName, CONTACT_SHADOW_GROUP);
  assert.deepEqual(plan.recipe.layers.map((l) => [l.name, l.blendMode, l.opacity]), [[CAST_SHADOW_LAYER, 'multiply', 0.3], [CONTACT_LINE_LAYER, 'multiply', 0.7]]);
  const after = renderRecipe(image, plan.recipe);
  const check = checkContact(after, mask);
  assert.equal(check.verdict, 'pass', `after: ${check.detail}`);
  assert.ok(check.figure >= 8, `ΔL* ${check.figure}`);
});

test('the shadow never paints into the piece, keeps the border band and fades out within 8 % of the height', async () => {
  const { image, mask } = await scene;
  const plan = planContactShadow(image, mask);
  const after = renderRecipe(image, plan.recipe);
  const { width: W, height: H } = image;
  const border = Math.round(0.02 * Math.min(W, H));
  const reach = Math.round(0.08 * H);
  let darkened = 0, deepest = 255;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const changed = [0, 1, 2].some((c) => after.data[4 * i + c] !== image.data[4 * i + c]);
      if (mask.data[i] === 255) assert.ok(!changed, `piece pixel ${x},${y} changed`);
      if (x < border || y < border || x >= W - border || y >= H - border) assert.ok(!changed, `border pixel ${x},${y} changed`);
      if (y > plan.contact.y + reach) assert.ok(image.data[4 * i] - after.data[4 * i] <= 1, `not faded at ${x},${y}`);
      if (changed && mask.data[i] === 0) { darkened++; deepest = Math.min(deepest, after.data[4 * i + 1]); }
    }
  }
  assert.ok(darkened > 1000, `only ${darkened} pixels darkened`);
  // Contact core on white: L* 35–55 per spec §B.4 (sRGB ≈ 85–135).
  assert.ok(deepest >= 70 && deepest <= 140, `darkest contact value ${deepest}`);
});

test('light from the left casts the shadow to the right, and the reverse', async () => {
  const { image, mask } = await scene;
  const massX = (angle: number) => {
    const cast = planContactShadow(image, mask, { lightAngleDeg: angle }).recipe.layers[0];
    assert.equal(cast.kind, 'pixel');
    let s = 0, n = 0;
    const d = cast.kind === 'pixel' ? cast.image.data : new Uint8Array();
    for (let i = 0; i < d.length; i += 4) { s += ((i / 4) % image.width) * d[i + 3]; n += d[i + 3]; }
    return s / n;
  };
  assert.ok(massX(160) > massX(90) + 5, 'light from the left should push the cast to the right');
  assert.ok(massX(20) < massX(90) - 5, 'light from the right should push the cast to the left');
});

test('Amazon main: the layers are there but hidden, so the flattened image has no shadow', async () => {
  const { image, mask } = await scene;
  const plan = planContactShadow(image, mask, { amazonMain: true });
  assert.ok(plan.recipe.layers.every((l) => l.visible === false));
  assert.ok(Buffer.from(renderRecipe(image, plan.recipe).data).equals(Buffer.from(image.data)));
  assert.match(plan.notes.join(' '), /Amazon/);
});

test('bad masks are refused in plain words: empty, whole frame, piece cut by the frame', async () => {
  const { image, mask } = await scene;
  const { width: W, height: H } = image;
  assert.throws(() => planContactShadow(image, createMask(W, H)), (e: unknown) => e instanceof PieceError && /empty/.test(e.message));
  assert.throws(() => planContactShadow(image, createMask(W, H, new Uint8Array(W * H).fill(255))), /whole photo/);
  const cut = Uint8Array.from(mask.data);
  for (let y = H - 40; y < H; y++) cut[y * W + (W >> 1)] = 255;
  assert.throws(() => planContactShadow(image, createMask(W, H, cut)), /cut by the bottom edge/);
  assert.throws(() => planContactShadow(image, createMask(10, 10)), /same size/);
});
