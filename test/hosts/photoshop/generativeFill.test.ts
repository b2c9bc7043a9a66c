/**
 * Context background with Photoshop's Generative Fill, through the Photoshop host and the recording stub:
 * one history step; the piece written as the recipe writes it (the photo's own pixels masked by the jewelry
 * mask, on top of the "Loupe · Context background" group); Generative Fill run on the inverse of the piece
 * on the layer under it; its generative layer takes the name; failures roll everything back. Also the
 * manifest's network check and the secure key store.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createPhotoshopHost } from '../../../src/hosts/photoshop/photoshopHost.ts';
import { secureKeyStore, type UxpSecureStorage } from '../../../src/hosts/photoshop/secureKeyStore.ts';
import { CONTEXT_BACKGROUND_DEFAULTS, runContextBackground } from '../../../panels/actions/contextBackgroundAction.ts';
import { buildGenerativeFillDescriptor } from '../../../src/hosts/generators/generativeFillDescriptor.ts';
import type { Job } from '../../../panels/host.ts';
import * as layers from '../../../src/hosts/photoshop/descriptors/layers.ts';
import { DOCUMENT_ID, recordingPhotoshop, type LayerPixels } from './recordingPhotoshop.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const W = 200;
const H = 150;
let pixels: LayerPixels;
let mask: Uint8Array;

before(async () => {
  const rgb = await sharp(join(root, 'samples', 'ring-yellow-gold-warm-cast.png')).resize(W, H).removeAlpha().raw().toBuffer();
  pixels = { data: new Uint8Array(rgb), bounds: { left: 0, top: 0, right: W, bottom: H }, components: 3 };
  mask = new Uint8Array(await sharp(join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png')).resize(W, H).greyscale().raw().toBuffer());
});

const job = (): Job => ({ signal: { aborted: false }, progress: () => {} });
const options = { ...CONTEXT_BACKGROUND_DEFAULTS, provider: 'generative-fill' as const, preset: 'own-words', prompt: 'white marble' };

function stubWithSelection() {
  return recordingPhotoshop({ document: { width: W, height: H }, layerPixels: pixels, selection: { data: mask, bounds: { left: 0, top: 0, right: W, bottom: H } } });
}

test('one history step: the piece on top, Generative Fill under it on the inverse of the piece, the group the recipe writes', async () => {
  const ps = stubWithSelection();
  const host = createPhotoshopHost(ps.module);
  const outcome = await runContextBackground(host, options, job());

  assert.deepEqual(ps.of('suspendHistory'), [{ kind: 'suspendHistory', documentID: DOCUMENT_ID, name: 'Loupe: Context background' }]);
  assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
  assert.deepEqual(ps.stack(), ['Loupe · Context background', '  Piece · original pixels', '  Context background', 'Background']);
  assert.deepEqual(ps.alphaChannels(), ['Jewelry']);
  assert.deepEqual(outcome.layers, ['Context background', 'Piece · original pixels']);
  assert.equal(outcome.groupName, 'Loupe · Context background');
  assert.equal(outcome.summary.headline, "Context background: Photoshop's Generative Fill");
  assert.ok(outcome.summary.details.includes('Jewelry mask: your selection'));

  // The piece: the photo's own pixels, opaque, masked by the jewelry mask over the whole canvas.
  const [piecePut] = ps.of('putPixels');
  const rgba = piecePut.imageData.data as Uint8Array;
  for (let i = 0; i < W * H; i += 37) {
    assert.deepEqual([...rgba.subarray(4 * i, 4 * i + 4)], [...pixels.data.subarray(3 * i, 3 * i + 3), 255]);
  }
  assert.deepEqual(ps.of('putLayerMask').map((c) => c.layerID), [piecePut.layerID]);
  assert.deepEqual(ps.of('putLayerMask')[0].imageData.data, mask);

  // Generative Fill: run on the stand-in under the piece, with the inverse of the piece selected.
  const fills = ps.descriptors().filter((d) => d._obj === 'syntheticFill');
  assert.equal(fills.length, 1);
  const standIn = Number(fills[0].layerID);
  assert.notEqual(standIn, piecePut.layerID);
  assert.deepEqual(fills[0], buildGenerativeFillDescriptor({ documentID: DOCUMENT_ID, layerID: standIn, prompt: 'white marble' }));
  const fillAt = ps.calls.findIndex((c) => c.kind === 'batchPlay' && c.descriptors.some((d) => d._obj === 'syntheticFill'));
  const selections = ps.calls.slice(0, fillAt).filter((c) => c.kind === 'putSelection');
  const inverse = selections.at(-1)!.imageData.data as Uint8Array;
  assert.ok(inverse.every((v, i) => v === 255 - mask[i]), 'the last selection before the fill is the inverse of the piece');
  assert.ok(ps.calls.slice(fillAt + 1).every((c) => c.kind !== 'putSelection' && c.kind !== 'putPixels'), 'nothing painted over the fill');
  assert.deepEqual(ps.of('moveLayer').at(-1), { kind: 'moveLayer', layerID: standIn, relativeID: piecePut.layerID, placement: 'placeAfter' });

  // Photoshop's generative layer takes the name; the empty stand-in goes; nothing left selected.
  assert.deepEqual(ps.of('renameLayer').map((c) => c.name), ['Context background']);
  assert.deepEqual(ps.of('deleteLayer'), [{ kind: 'deleteLayer', layerID: standIn }]);
  const last = ps.descriptors().slice(-2);
  assert.deepEqual(last[0], layers.deselect());
  assert.equal(last[1]._obj, 'select');
});

test('Generative Fill refused by Photoshop (not signed in): one line saying what to do, the step rolled back', async () => {
  const ps = recordingPhotoshop({
    document: { width: W, height: H }, layerPixels: pixels, selection: { data: mask, bounds: { left: 0, top: 0, right: W, bottom: H } },
    onCall: (call) => {
      if (call.kind === 'batchPlay' && call.descriptors.some((d) => d._obj === 'syntheticFill')) throw new Error('The command “Generative Fill” is not currently available.');
    },
  });
  await assert.rejects(runContextBackground(createPhotoshopHost(ps.module), options, job()), {
    message: "Photoshop's Generative Fill did not run (The command “Generative Fill” is not currently available): check that you are signed in to Creative Cloud with generative credits left and that Generative Fill works by hand, or choose another provider.",
  });
  assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }], 'Photoshop rolls the document back');
});

test('without a selection on a plain backdrop the piece is found as the other actions find it; no document: refused before any change', async () => {
  const ps = recordingPhotoshop({ document: { width: W, height: H }, layerPixels: pixels });
  const outcome = await runContextBackground(createPhotoshopHost(ps.module), options, job());
  assert.ok(outcome.summary.details.includes('Jewelry mask: found automatically on the plain backdrop'), outcome.summary.details.join(' | '));
  const none = recordingPhotoshop({ document: null, layerPixels: pixels });
  await assert.rejects(runContextBackground(createPhotoshopHost(none.module), options, job()), /^Error: Open a photo/);
  assert.equal(none.of('executeAsModal').length, 0);
});

test('the Photoshop host checks provider addresses against the manifest before any request', async () => {
  const ps = stubWithSelection();
  const host = createPhotoshopHost(ps.module);
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { requiredPermissions: { network: { domains: string[] } } };
  for (const url of manifest.requiredPermissions.network.domains) assert.doesNotThrow(() => host.background!.checkNetworkAccess!(`${url}/v1/images/edits`));
  assert.throws(() => host.background!.checkNetworkAccess!('http://192.168.1.20:8188'), { message: /and http:\/\/192\.168\.1\.20:8188 is not one of them: add "http:\/\/192\.168\.1\.20:8188" to requiredPermissions\.network\.domains/ });
  await assert.rejects(runContextBackground(host, { ...CONTEXT_BACKGROUND_DEFAULTS, provider: 'comfyui', comfyuiUrl: 'http://192.168.1.20:8188' }, job()), /is not one of them/);
  assert.equal(ps.calls.length, 0, 'nothing touched');
});

test('the secure key store: UXP bytes read as text, a missing key is null, Loupe keys prefixed, empty removes', async () => {
  const stored = new Map<string, Uint8Array>();
  const storage: UxpSecureStorage = {
    async getItem(key) { const v = stored.get(key); if (!v) throw new Error('not found'); return v; },
    async setItem(key, value) { stored.set(key, new TextEncoder().encode(value)); },
    async removeItem(key) { if (!stored.delete(key)) throw new Error('not found'); },
  };
  const keys = secureKeyStore(storage);
  assert.equal(await keys.get('openai'), null);
  await keys.set('openai', 'sk-abc');
  assert.deepEqual([...stored.keys()], ['loupe.key.openai']);
  assert.equal(await keys.get('openai'), 'sk-abc');
  await keys.set('openai', '');
  assert.equal(await keys.get('openai'), null);
  await keys.remove('openai');
  assert.equal(keys.where, "Photoshop's secure storage");
  assert.equal(createPhotoshopHost(stubWithSelection().module, { keys }).keys, keys);
});
