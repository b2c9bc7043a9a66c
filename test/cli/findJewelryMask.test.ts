/**
 * How the commands find the piece without --mask: Loupe's mask model first on every backdrop, the
 * plain-backdrop finder where the model cannot help. Runs the real model (models/) on real files; the
 * model's absence is a models folder without it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findJewelryMask, NoJewelryFoundError } from '../../src/cli/findJewelryMask';
import { openMaskModelSession } from '../../src/cli/maskCommand';
import { segmentOnPlainBackdrop } from '../../src/engine/segmentation/plainBackdropMask';
import { loadMaskNetwork } from '../../src/hosts/psd/loadMaskModel';
import { readImageFile } from '../../src/hosts/psd/readImageFile';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sample = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
const onSkin = join(root, '..', 'shared', 'evaldata', 'synth', '000_cast.png');
let noModel = '';

before(() => { noModel = mkdtempSync(join(tmpdir(), 'loupe-no-model-')); });
after(() => rmSync(noModel, { recursive: true, force: true }));

test('a plain backdrop: the mask model, with a line to check its mask', async () => {
  const found = await findJewelryMask(await readImageFile(sample));
  assert.equal(found.source, 'mask model');
  assert.match(found.notes[0] ?? '', /^the piece was found by Loupe's mask model: check the "Jewelry" selection/);
  const covered = found.mask.data.filter((v) => v >= 128).length / found.mask.data.length;
  assert.ok(covered > 0.02 && covered < 0.5, `the ring covers ${(100 * covered).toFixed(1)} % of the frame`);
});

test('a plain backdrop and no model installed: the backdrop finder, and the note says why', async () => {
  const image = await readImageFile(sample);
  const found = await findJewelryMask(image, undefined, { modelsDir: noModel });
  assert.equal(found.source, 'plain-backdrop segmentation');
  assert.match(found.notes[0] ?? '', /^Loupe's mask model could not be loaded \(.*reinstall Loupe.*\), so the piece was found from the plain backdrop/);
  assert.deepEqual(found.mask.data, segmentOnPlainBackdrop(image).mask.data);
});

test('skin and no model installed: no jewelry found, and the error says both why and what to do', async () => {
  const image = await readImageFile(onSkin);
  await assert.rejects(findJewelryMask(image, undefined, { modelsDir: noModel }), (err: Error) => {
    assert.ok(err instanceof NoJewelryFoundError);
    assert.match(err.message, /^no jewelry found in the photo: give its mask with --mask \(white = jewelry\); Loupe's mask model could not be loaded \(.*\), and the backdrop is not plain enough to find it from$/);
    return true;
  });
});

test("a batch's model session: loaded once, the same masks as one-shot loads, photo after photo, and usable again after release", async () => {
  const ring = await readImageFile(sample);
  const skin = await readImageFile(onSkin);
  let loads = 0;
  const session = openMaskModelSession(undefined, (dir) => { loads++; return loadMaskNetwork(dir); });
  try {
    for (const image of [ring, skin, ring]) {
      const fromSession = await findJewelryMask(image, undefined, { model: session });
      const oneShot = await findJewelryMask(image);
      assert.equal(fromSession.source, 'mask model');
      assert.deepEqual(fromSession.mask.data, oneShot.mask.data);
    }
    assert.equal(loads, 1, 'three photos, one load');
    await session.release();
    assert.equal((await findJewelryMask(ring, undefined, { model: session })).source, 'mask model');
    assert.equal(loads, 2, 'released, then loaded again');
  } finally {
    await session.release();
  }
});

test("a batch's session without a model installed: every photo falls back alike", async () => {
  const session = openMaskModelSession(noModel);
  try {
    for (let i = 0; i < 2; i++) {
      const found = await findJewelryMask(await readImageFile(sample), undefined, { model: session });
      assert.equal(found.source, 'plain-backdrop segmentation');
      assert.match(found.notes[0] ?? '', /^Loupe's mask model could not be loaded/);
    }
  } finally {
    await session.release();
  }
});
