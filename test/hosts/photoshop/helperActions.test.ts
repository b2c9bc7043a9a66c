/**
 * Contact shadow and Sharpen through the Photoshop host (recording stub): each one history step named after
 * it, its group of masked pixel layers written above the photo; the engine's refusals reach the retoucher as
 * sentences with nothing changed.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPhotoshopHost } from '../../../src/hosts/photoshop/photoshopHost.ts';
import { CONTACT_SHADOW_DEFAULTS, contactShadowRequest } from '../../../panels/actions/contactShadowAction.ts';
import { SHARPEN_DEFAULTS, sharpenRequest } from '../../../panels/actions/sharpenAction.ts';
import type { Job } from '../../../panels/host.ts';
import * as layers from '../../../src/hosts/photoshop/descriptors/layers.ts';
import { DOCUMENT_ID, SOURCE_LAYER_ID, recordingPhotoshop, type LayerPixels } from './recordingPhotoshop.ts';
import { SAMPLE_HEIGHT, SAMPLE_WIDTH, loadQuarterSizeSample } from './bundledSample.ts';

const W = SAMPLE_WIDTH;
const H = SAMPLE_HEIGHT;
let samplePixels: LayerPixels;
let sampleMask: Uint8Array;

before(async () => {
  ({ pixels: samplePixels, mask: sampleMask } = await loadQuarterSizeSample());
});

const job = (): Job => ({ signal: { aborted: false }, progress: () => {} });

test('Contact shadow: one history step, the group with the line and the cast, both Multiply and masked', async () => {
  const ps = recordingPhotoshop({ document: { width: W, height: H }, layerPixels: samplePixels });
  const outcome = await createPhotoshopHost(ps.module).runAction(contactShadowRequest({ light: '135', amazonMain: false }), job());
  assert.deepEqual(ps.of('suspendHistory'), [{ kind: 'suspendHistory', documentID: DOCUMENT_ID, name: 'Loupe: Contact shadow' }]);
  assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
  assert.deepEqual(ps.descriptors().slice(1, 3), [layers.selectLayerById(SOURCE_LAYER_ID), layers.makeGroup('Loupe · Contact shadow')]);
  assert.deepEqual(outcome.layers, ['Contact shadow · cast', 'Contact shadow · line']);
  assert.equal(ps.of('putPixels').length, 2);
  assert.equal(ps.of('putLayerMask').length, 2);
  const blends = ps.descriptors().filter((d) => d._obj === 'set' && (d.to as { _obj?: string })._obj === 'layer');
  assert.equal(blends.length, 2);
  assert.ok(blends.every((d) => JSON.stringify(d).includes('"multiply"')), 'both in Multiply');
  assert.equal(outcome.summary.headline, 'Contact shadow added');
  assert.ok(outcome.summary.details.includes('Light at 135°, as you chose'));
});

test('Contact shadow for the Amazon main image: the layers are written hidden', async () => {
  const ps = recordingPhotoshop({ document: { width: W, height: H }, layerPixels: samplePixels });
  await createPhotoshopHost(ps.module).runAction(contactShadowRequest({ ...CONTACT_SHADOW_DEFAULTS, amazonMain: true }), job());
  assert.equal(ps.descriptors().filter((d) => d._obj === 'hide').length, 2);
});

test('Contact shadow refuses a piece cut by the frame, in words, with nothing changed', async () => {
  // The selection is the piece shifted down to the bottom edge: no room for a shadow.
  const cut = new Uint8Array(W * H);
  for (let y = 100; y < H; y++) for (let x = 150; x < 250; x++) cut[y * W + x] = 255;
  const ps = recordingPhotoshop({ document: { width: W, height: H }, layerPixels: samplePixels, selection: { data: cut, bounds: { left: 0, top: 0, right: W, bottom: H } } });
  await assert.rejects(createPhotoshopHost(ps.module).runAction(contactShadowRequest(CONTACT_SHADOW_DEFAULTS), job()), {
    message: /^The piece is cut by the bottom edge of the photo, so there is no room for its shadow: give it more canvas \(Image › Canvas Size\)/,
  });
  assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }]);
  assert.equal(ps.of('putPixels').length + ps.descriptors().filter((d) => d._obj === 'make').length, 0);
});

test('Sharpen: one history step, one High Pass layer in Overlay at the chosen strength, masked to the piece', async () => {
  const ps = recordingPhotoshop({ document: { width: W, height: H }, layerPixels: samplePixels, selection: { data: sampleMask, bounds: { left: 0, top: 0, right: W, bottom: H } } });
  const outcome = await createPhotoshopHost(ps.module).runAction(sharpenRequest({ ...SHARPEN_DEFAULTS, strength: '0.5' }), job());
  assert.deepEqual(ps.of('suspendHistory').map((c) => c.name), ['Loupe: Sharpen']);
  assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
  assert.equal(outcome.groupName, 'Loupe · Sharpen');
  assert.equal(outcome.layers.length, 1);
  assert.match(outcome.layers[0], /^Sharpen · high pass \d\.\d px$/);
  assert.ok(ps.descriptors().some((d) => JSON.stringify(d) === JSON.stringify(layers.setBlendAndOpacity('overlay', 0.5))));
  assert.equal(ps.of('putLayerMask').length, 1);
  assert.ok(outcome.summary.details.includes('Jewelry mask: your selection'));
});
