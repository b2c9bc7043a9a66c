/**
 * Targeted sharpen measured as spec §D.4/§D.6/§E.10 ask: Laplacian variance up inside the piece, skin and
 * backdrop next to the piece unchanged (ratio 0.95–1.05), no halo at the mask edge (< 10 code values).
 * On a synthetic ring on skin and on the bundled ring on white, both with exact masks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMask, toRgba8, type Mask, type Rgba8Image } from '../../../src/engine/image';
import { blurMask } from '../../../src/engine/gaussianBlur';
import { readImageFile, readMaskFile } from '../../../src/hosts/psd/readImageFile';
import { renderRecipe } from '../../../src/recipe/compositor';
import { planTargetedSharpen, sharpenRadius, SHARPEN_GROUP } from '../../../src/engine/sharpen/targetedSharpen';
import { edgeOvershoot, laplacianVariance } from '../../../src/engine/sharpen/sharpnessMeasures';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const synth = join(root, '..', 'shared', 'evaldata', 'synth');

async function load(photo: string, maskPath: string, stonesPath?: string): Promise<{ image: Rgba8Image; mask: Mask; stones?: Mask }> {
  const image = toRgba8(await readImageFile(photo));
  const mask = await readMaskFile(maskPath, image.width, image.height);
  const stones = stonesPath ? await readMaskFile(stonesPath, image.width, image.height) : undefined;
  return { image, mask, stones };
}

/** Regions: inside (mask 255), the 1–8 px ring just outside (where a halo would show), the mask edge. */
function regions(mask: Mask) {
  const near = blurMask(mask, 3).data;
  const n = mask.data.length;
  const inside = new Uint8Array(n), ring = new Uint8Array(n), edge = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const m = mask.data[i];
    inside[i] = m === 255 ? 255 : 0;
    ring[i] = m === 0 && near[i] > 0 ? 255 : 0;
    edge[i] = m > 0 && m < 255 ? 255 : 0;
  }
  const mk = (d: Uint8Array) => createMask(mask.width, mask.height, d);
  return { inside: mk(inside), ring: mk(ring), edge: mk(edge) };
}

for (const [label, files] of [
  ['a pavé band on skin (synth 005)', [join(synth, '005_cast.png'), join(synth, '005_mask.png')]],
  ['the bundled ring on white', [join(root, 'samples', 'ring-yellow-gold-warm-cast.png'), join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png')]],
] as const) {
  test(`sharpens ${label} inside only, without halos`, async () => {
    const { image, mask } = await load(files[0], files[1]);
    const plan = planTargetedSharpen(image, mask);
    assert.equal(plan.recipe.groupName, SHARPEN_GROUP);
    assert.equal(plan.recipe.layers[0].name, `Sharpen · high pass ${plan.radiusPx.toFixed(1)} px`);
    assert.equal(plan.recipe.layers[0].blendMode, 'overlay');
    const after = renderRecipe(image, plan.recipe);
    const r = regions(mask);
    const inside = laplacianVariance(after, r.inside) / laplacianVariance(image, r.inside);
    const ring = laplacianVariance(after, r.ring) / laplacianVariance(image, r.ring);
    const halo = edgeOvershoot(image, after, r.edge);
    assert.ok(inside > 1.15, `inside VarLap ratio ${inside.toFixed(3)}`);
    assert.ok(ring >= 0.95 && ring <= 1.05, `skin/backdrop ring VarLap ratio ${ring.toFixed(3)}`);
    assert.ok(halo < 10, `overshoot at the mask edge ${halo.toFixed(1)}`);
    for (let i = 0; i < mask.data.length; i++) {
      if (mask.data[i] === 0) assert.equal(after.data[4 * i], image.data[4 * i], 'a pixel outside the piece changed');
    }
  });
}

test('--exclude-stones leaves the stones as they are', async () => {
  const { image, mask, stones } = await load(join(synth, '005_cast.png'), join(synth, '005_mask.png'), join(synth, '005_stones.png'));
  const after = renderRecipe(image, planTargetedSharpen(image, mask, { stonesMask: stones, excludeStones: true }).recipe);
  let stonePixels = 0;
  for (let i = 0; i < mask.data.length; i++) {
    if (stones!.data[i] !== 255) continue;
    stonePixels++;
    assert.equal(after.data[4 * i + 1], image.data[4 * i + 1]);
  }
  assert.ok(stonePixels > 50);
});

test('the radius follows resolution and piece size (0.5 px per 1000 px, 0.6–3 px)', () => {
  assert.equal(sharpenRadius(2000, 2000, 1700), 1);
  assert.equal(sharpenRadius(6000, 4000, 5100), 3);
  assert.ok(sharpenRadius(6000, 4000, 1000) < sharpenRadius(6000, 4000, 4000));
  assert.equal(sharpenRadius(500, 500, 400), 0.6);
});

test('an empty mask is refused', async () => {
  const { image } = await load(join(synth, '005_cast.png'), join(synth, '005_mask.png'));
  assert.throws(() => planTargetedSharpen(image, createMask(image.width, image.height)), /empty/);
});
