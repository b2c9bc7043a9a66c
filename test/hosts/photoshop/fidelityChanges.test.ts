/**
 * The Fidelity check in the Photoshop host (recording stub): on a busy backdrop it finds the piece with
 * Loupe's mask model, as the actions do, with progress and Cancel; "Show changes on the image" writes the
 * check's heatmaps as the hidden "Loupe · Fidelity" group above the checked photo layer through the
 * recipe writer, one history step; refused, with nothing written, when the document is not the one checked.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPhotoshopHost } from '../../../src/hosts/photoshop/photoshopHost.ts';
import { OVERLAY_HISTORY_NAME } from '../../../src/hosts/photoshop/writeCheckOverlay.ts';
import { FIDELITY_GROUP, FIDELITY_LAYERS } from '../../../src/engine/fidelity/overlayRecipe.ts';
import type { PhotoshopModule } from '../../../src/hosts/photoshop/photoshopApi.ts';
import type { MaskNetwork } from '../../../src/engine/segmentation/modelMask.ts';
import type { LoadedMaskModel } from '../../../src/inference/panelMaskModel.ts';
import { fidelityCheckRequest, FIDELITY_DEFAULTS } from '../../../panels/actions/fidelityCheckAction.ts';
import { CancelledError, type CheckReport, type Job } from '../../../panels/host.ts';
import * as layers from '../../../src/hosts/photoshop/descriptors/layers.ts';
import { DOCUMENT_ID, SOURCE_LAYER_ID, recordingPhotoshop, type LayerPixels, type StubSetup } from './recordingPhotoshop.ts';
import { SAMPLE_HEIGHT, SAMPLE_WIDTH, loadQuarterSizeSample } from './bundledSample.ts';

const W = SAMPLE_WIDTH;
const H = SAMPLE_HEIGHT;
let samplePixels: LayerPixels;
let sampleMask: Uint8Array;

before(async () => {
  ({ pixels: samplePixels, mask: sampleMask } = await loadQuarterSizeSample());
});

const job = (overrides: Partial<Job> = {}): Job => ({ signal: { aborted: false }, progress: () => {}, ...overrides });
const setup = (extra: Partial<StubSetup> = {}): StubSetup => ({ document: { width: W, height: H }, layerPixels: samplePixels, ...extra });
const wholeCanvas = (data: Uint8Array) => ({ data, bounds: { left: 0, top: 0, right: W, bottom: H } });

/** A network that sees the sample's own mask as jewelry, whatever it is shown at whatever size. */
function maskNetwork(): MaskNetwork & { runs: number } {
  return {
    multiple: 32,
    runs: 0,
    async run(_planes, w, h) {
      this.runs++;
      const logits = new Float32Array(2 * w * h).fill(-8);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (sampleMask[Math.floor((y * H) / h) * W + Math.floor((x * W) / w)] >= 128) logits[y * w + x] = 8;
        }
      }
      return { logits, family: new Float32Array([4, 0.5, 0]) };
    },
  };
}

const modelOf = (network: MaskNetwork) => async (): Promise<LoadedMaskModel> => ({ network, label: 'jewelry-mask.onnx test' });

/** The sample with its backdrop (away from the ring) a coarse checkerboard: not a plain backdrop. */
function busyBackdrop(): LayerPixels {
  const data = new Uint8Array(samplePixels.data);
  for (let i = 0; i < W * H; i++) {
    const x = i % W, y = Math.floor(i / W);
    if (sampleMask[i] > 0 || (Math.abs(x - W / 2) < W / 4 && Math.abs(y - H / 2) < H / 4)) continue;
    const v = ((x >> 3) + (y >> 3)) % 2 ? 40 : 220;
    data.set([v, 255 - v, (v * 3) % 256], i * 3);
  }
  return { ...samplePixels, data };
}

/** The stub's module with the document's composite replaced (a retouch that damaged the piece). */
function withComposite(module: PhotoshopModule, composite: Uint8Array): PhotoshopModule {
  const getPixels: PhotoshopModule['imaging']['getPixels'] = async (options) => {
    const read = await module.imaging.getPixels(options);
    if (options.layerID !== undefined || options.targetSize) return read;
    const imageData = await module.imaging.createImageDataFromBuffer(composite, { width: W, height: H, components: 3, colorSpace: 'RGB' });
    return { ...read, imageData };
  };
  return { ...module, imaging: { ...module.imaging, getPixels } };
}

/** The piece flattened to one colour in a 30 px strip: detail lost there. */
const STRIP = 240;

function damaged(): { composite: Uint8Array; box: { x0: number; y0: number; x1: number; y1: number } } {
  const composite = new Uint8Array(samplePixels.data);
  let x0 = W, y0 = H, x1 = 0, y1 = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (sampleMask[y * W + x] < 250 || x < STRIP || x >= STRIP + 30) continue;
      composite.set([200, 160, 60], (y * W + x) * 3);
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + 1); y1 = Math.max(y1, y + 1);
    }
  }
  return { composite, box: { x0, y0, x1, y1 } };
}

describe('Fidelity check on a busy backdrop', () => {
  test("finds the piece with Loupe's mask model, says so, and reports its progress", async () => {
    const network = maskNetwork();
    const ps = recordingPhotoshop(setup({ layerPixels: busyBackdrop() }));
    const messages: string[] = [];
    const report = await createPhotoshopHost(ps.module, { maskModel: modelOf(network) })
      .runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job({ progress: (_f, m) => messages.push(m) }));
    assert.equal(network.runs, 5, 'the model ran: coarse, then zoomed as seen, mirrored, upside down and both');
    assert.ok(report.details.includes("Jewelry mask: Loupe's mask model (jewelry-mask.onnx test)"), report.details.join(' | '));
    assert.match(report.details.join(' | '), /found by Loupe's mask model: if a check looks wrong, select the piece and check again/);
    assert.ok(messages.includes('Finding the piece with the mask model'), messages.join(', '));
    assert.notEqual(report.verdict, 'fail', 'the composite is the photo: nothing can fail');
    assert.equal(ps.of('suspendHistory').length + ps.of('putPixels').length, 0, 'a check writes nothing');
  });

  test('without the model it refuses as before, in words', async () => {
    const ps = recordingPhotoshop(setup({ layerPixels: busyBackdrop() }));
    await assert.rejects(createPhotoshopHost(ps.module).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job()), /not plain enough\): select the jewelry/);
  });

  test('Cancel while the model runs stops the check', async () => {
    const signal = { aborted: false };
    const network = maskNetwork();
    const cancelling: MaskNetwork = { multiple: 32, async run(planes, w, h) { signal.aborted = true; return network.run(planes, w, h); } };
    const ps = recordingPhotoshop(setup({ layerPixels: busyBackdrop() }));
    await assert.rejects(createPhotoshopHost(ps.module, { maskModel: modelOf(cancelling) }).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job({ signal })), CancelledError);
    assert.equal(network.runs, 1, 'the zoomed pass never ran');
  });
});

describe('Show changes on the image', () => {
  async function checked(ps: ReturnType<typeof recordingPhotoshop>, module: PhotoshopModule = ps.module) {
    const host = createPhotoshopHost(module);
    const report: CheckReport = await host.runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job());
    assert.ok(report.overlay, 'the report carries the heatmaps');
    assert.equal(host.overlay?.kind, 'layers');
    return { host, report, overlay: report.overlay };
  }

  test('one history step: the hidden "Loupe · Fidelity" group above the checked photo, its heat where the piece was damaged', async () => {
    const { composite, box } = damaged();
    const ps = recordingPhotoshop(setup({ selection: { ...wholeCanvas(sampleMask) } }));
    const { host, report, overlay } = await checked(ps, withComposite(ps.module, composite));
    assert.equal(report.verdict, 'fail');
    const before = ps.calls.length;
    if (host.overlay?.kind !== 'layers') throw new Error('expected a layer-writing host');
    const outcome = await host.overlay.write(overlay, job());

    const calls = ps.calls.slice(before);
    assert.deepEqual(calls.filter((c) => c.kind === 'suspendHistory'), [{ kind: 'suspendHistory', documentID: DOCUMENT_ID, name: OVERLAY_HISTORY_NAME }]);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
    const written = ps.descriptors().filter((d) => d._obj !== 'get');
    assert.deepEqual(written.slice(1, 3), [layers.selectLayerById(SOURCE_LAYER_ID), layers.makeGroup(FIDELITY_GROUP)], 'the group goes directly above the checked layer');
    assert.deepEqual(outcome.layers, [FIDELITY_LAYERS.structure, FIDELITY_LAYERS.colour, FIDELITY_LAYERS.failed]);
    assert.equal(outcome.groupName, FIDELITY_GROUP);
    assert.equal(outcome.historyName, OVERLAY_HISTORY_NAME);
    assert.equal(written.filter((d) => JSON.stringify(d) === JSON.stringify(layers.hideActiveLayer())).length, 3, 'every heatmap layer hidden');
    assert.equal(ps.of('putLayerMask').length + ps.of('putSelection').length, 0);

    // The structure heat is far denser on the flattened strip than on the rest of the piece.
    const puts = ps.of('putPixels');
    assert.ok(puts.length >= 2, 'structure heat and the failed-check boxes');
    const heat = puts[0];
    const at = heat.targetBounds ?? { left: 0, top: 0 };
    const sums = { damaged: 0, damagedN: 0, kept: 0, keptN: 0 };
    for (let Y = 0; Y < H; Y++) {
      for (let X = 0; X < W; X++) {
        if (sampleMask[Y * W + X] < 250) continue;
        const x = X - at.left, y = Y - at.top;
        const a = x >= 0 && y >= 0 && x < heat.imageData.width && y < heat.imageData.height ? heat.imageData.data[(y * heat.imageData.width + x) * 4 + 3] : 0;
        if (X >= box.x0 && X < box.x1) { sums.damaged += a; sums.damagedN++; } else { sums.kept += a; sums.keptN++; }
      }
    }
    const damagedMean = sums.damaged / sums.damagedN, keptMean = sums.kept / sums.keptN;
    assert.ok(damagedMean > 3 * keptMean, `mean heat ${damagedMean.toFixed(0)} on the damage, ${keptMean.toFixed(0)} on the rest`);
  });

  test('heatmaps of an earlier check are replaced, in the same history step; other Loupe groups stay', async () => {
    const ps = recordingPhotoshop(setup({ selection: { ...wholeCanvas(sampleMask) }, above: [{ name: 'Loupe · Retouch metal' }, { name: FIDELITY_GROUP, children: [{ name: 'old heat', kind: 'pixel', visible: false }] }] }));
    const { host, overlay } = await checked(ps);
    if (host.overlay?.kind !== 'layers') throw new Error('expected a layer-writing host');
    await host.overlay.write(overlay, job());
    assert.equal(ps.stack().filter((n) => n.trim() === FIDELITY_GROUP).length, 1);
    assert.ok(!ps.stack().some((n) => n.trim() === 'old heat'));
    assert.ok(ps.stack().includes('Loupe · Retouch metal'));
    assert.equal(ps.of('deleteLayer').length, 1);
    assert.deepEqual(ps.of('suspendHistory').length, 1);
  });

  test('refused with nothing written: no check yet, another document active, the checked layer gone', async () => {
    const ps = recordingPhotoshop(setup());
    const { overlay } = await checked(ps);
    const fresh = createPhotoshopHost(ps.module);
    if (fresh.overlay?.kind !== 'layers') throw new Error('expected a layer-writing host');
    const before = ps.calls.length;
    await assert.rejects(fresh.overlay.write(overlay, job()), /There is no check to show: run the Fidelity check again/);

    const other = recordingPhotoshop(setup());
    const { host } = await checked(other);
    if (host.overlay?.kind !== 'layers') throw new Error('expected a layer-writing host');
    (other.module.app as { activeDocument: unknown }).activeDocument = { ...other.module.app.activeDocument, id: DOCUMENT_ID + 1 };
    await assert.rejects(host.overlay.write(overlay, job()), /Another document is active than the one checked/);
    (other.module.app as { activeDocument: unknown }).activeDocument = { ...other.module.app.activeDocument, id: DOCUMENT_ID, layers: [] };
    await assert.rejects(host.overlay.write(overlay, job()), /The photo layer the check compared is gone/);
    assert.equal(ps.calls.length, before, 'no Photoshop call');
    assert.equal(other.of('suspendHistory').length, 0);
  });

  test('Cancel while writing: the history step is rolled back', async () => {
    const ps = recordingPhotoshop(setup());
    const { host, overlay } = await checked(ps);
    if (host.overlay?.kind !== 'layers') throw new Error('expected a layer-writing host');
    const signal = { aborted: false };
    await assert.rejects(host.overlay.write(overlay, job({ signal, progress: () => { signal.aborted = true; } })), CancelledError);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }]);
  });
});
