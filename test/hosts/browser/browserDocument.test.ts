/** The browser harness's in-memory document: groups, visibility, rendering, PSD, and its refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPsd } from 'ag-psd';
import { createMask, createRgba8 } from '../../../src/engine/image.ts';
import type { Recipe } from '../../../src/recipe/recipe.ts';
import { createBrowserDocument, documentChannels, documentToPsd, renderDocument } from '../../../src/hosts/browser/browserDocument.ts';
import { createBrowserHost } from '../../../src/hosts/browser/browserHost.ts';
import { CancelledError, type ActionRequest } from '../../../panels/host.ts';

const W = 8, H = 6;
const grey = createRgba8(W, H, new Uint8Array(W * H * 4).map((_, i) => (i % 4 === 3 ? 255 : 100)));
const brighten = (name: string, output: number): Recipe => ({
  groupName: 'Loupe · Test',
  width: W,
  height: H,
  layers: [{ kind: 'adjustment', name, blendMode: 'normal', opacity: 1, adjustment: { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 100, output }, { input: 255, output: 255 }] } }],
});

test('writing a group renders it; running again replaces it; the eye hides a layer', () => {
  const doc = createBrowserDocument();
  doc.getState().openPhoto({ name: 'ring.png', image: grey });
  assert.equal(renderDocument(doc.getState())?.data[0], 100);
  doc.getState().writeGroup(brighten('Lift', 150));
  assert.equal(renderDocument(doc.getState())?.data[0], 150);
  doc.getState().writeGroup(brighten('Lift', 120));
  assert.equal(doc.getState().groups.length, 1, 'same group name: replaced, not stacked');
  assert.equal(renderDocument(doc.getState())?.data[0], 120);
  doc.getState().setLayerVisible(0, 0, false);
  assert.equal(renderDocument(doc.getState())?.data[0], 100);
  assert.equal(grey.data[0], 100, 'the photo itself is never changed');
});

test('the PSD holds Background and the group; with nothing written it says what to do', () => {
  const doc = createBrowserDocument();
  assert.throws(() => documentToPsd(doc.getState()), /^Error: Open a photo first/);
  doc.getState().openPhoto({ name: 'ring.png', image: grey });
  assert.throws(() => documentToPsd(doc.getState()), /Nothing to save yet: run an action first/);
  doc.getState().writeGroup(brighten('Lift', 150));
  const psd = readPsd(documentToPsd(doc.getState()), { skipLayerImageData: true, skipCompositeImageData: true, skipThumbnail: true });
  assert.deepEqual(psd.children?.map((c) => c.name), ['Background', 'Loupe · Test']);
  assert.deepEqual(psd.children?.[1].children?.map((c) => c.name), ['Lift']);
});

test('several runs stack as groups in the PSD, each action replacing only its own earlier run', () => {
  const doc = createBrowserDocument();
  doc.getState().openPhoto({ name: 'ring.png', image: grey });
  doc.getState().writeGroup(brighten('Lift', 150));
  doc.getState().writeGroup({ ...brighten('Shade', 90), groupName: 'Loupe · Other' });
  doc.getState().writeGroup(brighten('Lift again', 120));
  assert.deepEqual(doc.getState().groups.map((g) => g.groupName), ['Loupe · Other', 'Loupe · Test']);
  const psd = readPsd(documentToPsd(doc.getState()), { skipLayerImageData: true, skipCompositeImageData: true, skipThumbnail: true });
  assert.deepEqual(psd.children?.map((c) => c.name), ['Background', 'Loupe · Other', 'Loupe · Test']);
  assert.deepEqual(psd.children?.[2].children?.map((c) => c.name), ['Lift again']);
});

test('a mask of another size is refused with both sizes; a new photo clears the old mask and groups', () => {
  const doc = createBrowserDocument();
  assert.throws(() => doc.getState().setMask('m.png', createMask(W, H)), /Open a photo first/);
  doc.getState().openPhoto({ name: 'ring.png', image: grey });
  assert.throws(() => doc.getState().setMask('m.png', createMask(4, 4)), { message: 'The mask "m.png" is 4×4 but the photo is 8×6: open the mask made for this photo.' });
  doc.getState().setMask('m.png', createMask(W, H));
  doc.getState().writeGroup(brighten('Lift', 150));
  doc.getState().openPhoto({ name: 'other.png', image: grey });
  assert.equal(doc.getState().mask, null);
  assert.deepEqual(doc.getState().groups, []);
});

test('the browser host writes only a complete plan: a cancelled or failed plan leaves the document as it was', async () => {
  const doc = createBrowserDocument();
  const browserHost = createBrowserHost(doc);
  const job = { signal: { aborted: false }, progress: () => {} };
  await assert.rejects(browserHost.runAction({ historyName: 'x', plan: async () => ({ recipe: brighten('Lift', 150), summary: { headline: '', details: [] } }) }, job), /^Error: Open a photo first/);
  doc.getState().openPhoto({ name: 'ring.png', image: grey });
  const failing: ActionRequest = { historyName: 'Loupe: Test', plan: async () => { throw new Error('The jewelry mask is empty.'); } };
  await assert.rejects(browserHost.runAction(failing, job), /The jewelry mask is empty/);
  const cancelled = { signal: { aborted: true }, progress: () => {} };
  const fine: ActionRequest = { historyName: 'Loupe: Test', plan: async (input) => ({ recipe: brighten('Lift', 150), summary: { headline: `${input.image.width}`, details: [] } }) };
  await assert.rejects(browserHost.runAction(fine, cancelled), CancelledError);
  assert.deepEqual(doc.getState().groups, []);
  const outcome = await browserHost.runAction(fine, job);
  assert.deepEqual(outcome.layers, ['Lift']);
  assert.equal(doc.getState().groups.length, 1);
});

test('saved selections show as channels; a recipe that asks for it leaves its selection loaded, a later one deselects', () => {
  const doc = createBrowserDocument();
  doc.getState().openPhoto({ name: 'ring.png', image: grey });
  const masked: Recipe = {
    groupName: 'Loupe · Mask jewelry', width: W, height: H, layers: [],
    selections: [{ name: 'Jewelry', mask: createMask(W, H) }, { name: 'Stones', mask: createMask(W, H) }],
    activeSelection: 'Jewelry',
  };
  doc.getState().writeGroup(masked);
  assert.deepEqual(documentChannels(doc.getState()), ['Jewelry', 'Stones']);
  assert.equal(doc.getState().activeSelection, 'Jewelry');
  assert.equal(renderDocument(doc.getState())?.data[0], 100, 'channels change no pixel');
  doc.getState().writeGroup(brighten('Lift', 150));
  assert.equal(doc.getState().activeSelection, null, 'like Photoshop after Loupe writes layers: nothing selected');
  assert.deepEqual(documentChannels(doc.getState()), ['Jewelry', 'Stones'], 'the channels stay');
  doc.getState().openPhoto({ name: 'other.png', image: grey });
  assert.deepEqual(documentChannels(doc.getState()), []);
  assert.equal(doc.getState().activeSelection, null);
});
