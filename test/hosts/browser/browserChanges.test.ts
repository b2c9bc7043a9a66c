/**
 * The browser harness's Fidelity check: it hands the check Loupe's mask model (busy backdrops), and
 * "Show changes on the image" draws the check's heatmap over the preview only — never into the rendered
 * document, its PSD or a later check — and refuses once the document changed since the check.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../../../src/engine/image.ts';
import { createBrowserDocument, renderDocument } from '../../../src/hosts/browser/browserDocument.ts';
import { createBrowserHost } from '../../../src/hosts/browser/browserHost.ts';
import { fidelityCheckRequest, FIDELITY_DEFAULTS } from '../../../panels/actions/fidelityCheckAction.ts';
import type { CheckInput, CheckReport, Job } from '../../../panels/host.ts';
import type { LoadedMaskModel } from '../../../src/inference/panelMaskModel.ts';
import type { Recipe } from '../../../src/recipe/recipe.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const W = 400, H = 300;
let photo: Rgba8Image;
let mask: Mask;

before(async () => {
  const rgba = await sharp(join(root, 'samples', 'ring-yellow-gold-warm-cast.png')).resize(W, H).ensureAlpha().raw().toBuffer();
  photo = createRgba8(W, H, new Uint8Array(rgba));
  mask = createMask(W, H, new Uint8Array(await sharp(join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png')).resize(W, H).greyscale().raw().toBuffer()));
});

const job = (): Job => ({ signal: { aborted: false }, progress: () => {} });

/** A layer that flattens a strip of the piece: detail lost there. */
function damage(): Recipe {
  const data = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) if (mask.data[i] >= 250 && i % W >= 240 && i % W < 270) data.set([200, 160, 60, 255], i * 4);
  return { groupName: 'Loupe · Damage', width: W, height: H, layers: [{ kind: 'pixel', name: 'Flat', blendMode: 'normal', opacity: 1, image: createRgba8(W, H, data) }] };
}

async function checkedDocument() {
  const doc = createBrowserDocument();
  doc.getState().openPhoto({ name: 'ring.png', image: photo });
  doc.getState().setMask('ring.mask.png', mask);
  doc.getState().writeGroup(damage());
  const host = createBrowserHost(doc);
  const report: CheckReport = await host.runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job());
  if (host.overlay?.kind !== 'preview' || !report.overlay) throw new Error('expected a preview host and heatmaps');
  return { doc, host, shower: host.overlay, report, overlay: report.overlay };
}

test('the heatmap is drawn over the preview, on the damage, and off again; the document itself never holds it', async () => {
  const { doc, shower, report, overlay } = await checkedDocument();
  assert.equal(report.verdict, 'fail');
  const rendered = renderDocument(doc.getState());
  const revision = doc.getState().revision;
  shower.show(overlay, 'structure');
  const heat = doc.getState().overlay;
  assert.ok(heat, 'drawn');
  assert.equal(heat.width, W);
  let onStrip = 0, elsewhere = 0, stripN = 0, elsewhereN = 0;
  for (let i = 0; i < W * H; i++) {
    if (mask.data[i] < 250) continue;
    const a = heat.data[i * 4 + 3];
    if (i % W >= 240 && i % W < 270) { onStrip += a; stripN++; } else { elsewhere += a; elsewhereN++; }
  }
  assert.ok(onStrip / stripN > 3 * (elsewhere / elsewhereN), 'the heat sits on the flattened strip');
  assert.deepEqual(renderDocument(doc.getState())?.data, rendered?.data, 'the rendered document is unchanged');
  assert.equal(doc.getState().revision, revision, 'drawing is not a document change');
  shower.show(overlay, 'colour');
  assert.notDeepEqual(doc.getState().overlay?.data, heat.data, 'the colour view is another picture');
  shower.show(overlay, null);
  assert.equal(doc.getState().overlay, null);
});

test('any change to the document takes the heatmap off, and showing it again is refused until the next check', async () => {
  const { doc, host, shower, overlay } = await checkedDocument();
  shower.show(overlay, 'structure');
  doc.getState().setLayerVisible(0, 0, false);
  assert.equal(doc.getState().overlay, null);
  assert.throws(() => shower.show(overlay, 'structure'), /The document changed since the check: run the Fidelity check again/);
  const again = await host.runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job());
  assert.ok(again.overlay);
  shower.show(again.overlay, 'structure');
  assert.ok(doc.getState().overlay);
  await host.runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job());
  assert.equal(doc.getState().overlay, null, 'a new check takes the old heatmap off');
});

test("the check is handed the harness's mask model", async () => {
  const doc = createBrowserDocument();
  doc.getState().openPhoto({ name: 'ring.png', image: photo });
  const maskModel = async (): Promise<LoadedMaskModel> => { throw new Error('not loaded in this test'); };
  let seen: CheckInput | undefined;
  await createBrowserHost(doc, { maskModel }).runCheck({ name: 'probe', check: async (input) => { seen = input; return { headline: '', verdict: 'pass', items: [], details: [] }; } }, job());
  assert.equal(seen?.maskModel, maskModel);
});
