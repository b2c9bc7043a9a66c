/**
 * Contract tests of "Mask jewelry" in the Photoshop host, against the recording photoshop stub: one history
 * step that saves the "Jewelry" and "Stones (rough)" channels and leaves the jewelry selected, writing no layer;
 * model missing, damaged or finding nothing → a plain message and nothing changed. Retouch metal without a
 * selection takes the model's mask on any backdrop (as `loupe retouch` does), the backdrop finder's on a
 * plain one where the model finds nothing or cannot run. The network is a fake with a
 * known answer (the real model's own run is tested in test/inference and test/build).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPhotoshopHost } from '../../../src/hosts/photoshop/photoshopHost.ts';
import { pluginMaskModel } from '../../../src/hosts/photoshop/pluginFiles.ts';
import { MaskModelError, type LoadedMaskModel } from '../../../src/inference/panelMaskModel.ts';
import type { MaskNetwork } from '../../../src/engine/segmentation/modelMask.ts';
import { maskJewelryRequest } from '../../../panels/actions/maskJewelryAction.ts';
import { retouchMetalRequest, RETOUCH_METAL_DEFAULTS } from '../../../panels/actions/retouchMetalAction.ts';
import { fidelityCheckRequest, FIDELITY_DEFAULTS } from '../../../panels/actions/fidelityCheckAction.ts';
import { CancelledError, type Job } from '../../../panels/host.ts';
import * as layers from '../../../src/hosts/photoshop/descriptors/layers.ts';
import { DOCUMENT_ID, recordingPhotoshop, type LayerPixels, type StubSetup } from './recordingPhotoshop.ts';
import { SAMPLE_HEIGHT, SAMPLE_WIDTH, loadQuarterSizeSample } from './bundledSample.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const W = SAMPLE_WIDTH;
const H = SAMPLE_HEIGHT;
let samplePixels: LayerPixels;
let sampleMask: Uint8Array;

before(async () => {
  ({ pixels: samplePixels, mask: sampleMask } = await loadQuarterSizeSample());
});

/**
 * A network that sees jewelry in the middle half of whatever it is shown (stones where that half is darker than
 * the pale backdrop: the ring's band, not its hole, which the plain-backdrop corrections clear), and yellow gold; or
 * nothing at all.
 */
function fakeNetwork(sees: 'piece' | 'nothing' = 'piece'): MaskNetwork & { runs: number } {
  return {
    multiple: 32,
    runs: 0,
    async run(planes, w, h) {
      this.runs++;
      const logits = new Float32Array(2 * w * h).fill(-8);
      if (sees === 'piece') {
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const dx = Math.abs(x + 0.5 - w / 2) / w, dy = Math.abs(y + 0.5 - h / 2) / h;
            if (dx < 0.25 && dy < 0.25) logits[y * w + x] = 8;
            const i = y * w + x, light = (planes[i] + planes[w * h + i] + planes[2 * w * h + i]) / 3;
            if (dx < 0.25 && dy < 0.25 && light < 0.75) logits[w * h + i] = 8;
          }
        }
      }
      return { logits, family: new Float32Array([4, 0.5, 0]) };
    },
  };
}

function modelOf(network: MaskNetwork): (() => Promise<LoadedMaskModel>) & { loads: number } {
  const load = Object.assign(async () => {
    load.loads++;
    return { network, label: 'jewelry-mask.onnx test' };
  }, { loads: 0 });
  return load;
}

async function brokenModel(): Promise<LoadedMaskModel> {
  throw new MaskModelError("Loupe's mask model (models/jewelry-mask.onnx) is missing: reinstall Loupe.");
}

function job(overrides: Partial<Job> = {}): Job {
  return { signal: new AbortController().signal, progress: () => {}, ...overrides };
}

function setup(extra: Partial<StubSetup> = {}): StubSetup {
  return { document: { width: W, height: H }, layerPixels: samplePixels, ...extra };
}

function assertNothingChanged(ps: ReturnType<typeof recordingPhotoshop>) {
  assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }], 'the history step is not committed');
  const writes = ps.descriptors().filter((d) => d._obj !== 'get');
  assert.deepEqual(writes, [], 'no batchPlay change');
  assert.equal(ps.of('putSelection').length + ps.of('putPixels').length + ps.of('putLayerMask').length, 0, 'nothing put');
}

describe('Mask jewelry', () => {
  test('one history step: the Jewelry and Stones channels saved, the jewelry left selected, no layer written', async () => {
    const ps = recordingPhotoshop(setup());
    const network = fakeNetwork();
    const outcome = await createPhotoshopHost(ps.module, { maskModel: modelOf(network) }).runAction(maskJewelryRequest(), job());
    assert.equal(ps.of('executeAsModal').length, 1);
    assert.deepEqual(ps.of('suspendHistory'), [{ kind: 'suspendHistory', documentID: DOCUMENT_ID, name: 'Loupe: Mask jewelry' }]);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
    assert.equal(network.runs, 5, 'a coarse pass on the frame and a zoomed pass on the piece, as seen, mirrored, upside down and both');

    assert.deepEqual(ps.descriptors(), [
      layers.deselect(),
      layers.saveSelectionAsChannel('Jewelry'), layers.deselect(),
      layers.saveSelectionAsChannel('Stones (rough)'), layers.deselect(),
    ]);
    const puts = ps.of('putSelection').map((c) => c.imageData);
    assert.equal(puts.length, 3, 'Jewelry, Stones, then Jewelry loaded again');
    const [jewelry, stones, active] = puts.map((p) => p.data as Uint8Array);
    assert.deepEqual(active, jewelry, 'the selection left active is the jewelry');
    assert.equal(ps.calls.at(-2)?.kind, 'putSelection', 'loaded last, just before the step is committed');
    for (const p of puts) assert.equal(p.data.length, W * H);
    // The coarse pass finds the frame's middle half; the zoomed pass (on that, plus a margin) its own middle
    // half: so the mask lies in a box well inside the middle of the frame, and nothing outside it; within the
    // box, the plain backdrop (the ring's hole and round it) is cleared, the ring's band stays.
    const covered = jewelry.filter((v) => v >= 128).length / (W * H);
    assert.ok(covered > 0.01, `jewelry covers ${covered}`);
    jewelry.forEach((v, i) => {
      const x = i % W, y = Math.floor(i / W);
      if (v >= 128) assert.ok(x >= W / 4 && x < (3 * W) / 4 && y >= H / 4 && y < (3 * H) / 4, `jewelry at (${x}, ${y})`);
    });
    assert.ok(stones.some((v) => v >= 128));
    assert.ok(stones.every((v, i) => v <= jewelry[i]), 'stones within the jewelry');
    assert.equal(ps.of('putLayerMask').length + ps.of('putPixels').length, 0);
    assert.equal(ps.descriptors().filter((d) => d._obj === 'make').length, 0, 'no group, no layer');

    // The stand-in network says yellow gold with certainty: still not claimed (the real head is not reliable).
    assert.equal(outcome.summary.headline, 'Jewelry masked');
    assert.ok(!outcome.summary.details.some((d) => /gold|metal/i.test(d)), outcome.summary.details.join(' | '));
    assert.match(outcome.summary.details[1], /^"Stones \(rough\)" saved as a channel: .*refined and renamed "Stones", the Fidelity check counts stones from it$/);
    assert.deepEqual(outcome.layers, []);
    assert.deepEqual(outcome.selections, ['Jewelry', 'Stones (rough)']);
  });

  test('a rough selection around the piece: the model looks only there, the mask stays inside it, the jewelry is left selected', async () => {
    // A marquee over the left half of the frame: the fake network sees the middle half of whatever it is shown.
    const marquee = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) marquee.fill(255, y * W, y * W + W / 2);
    const ps = recordingPhotoshop(setup({ selection: { data: marquee, bounds: { left: 0, top: 0, right: W, bottom: H } } }));
    const network = fakeNetwork();
    const said: string[] = [];
    const outcome = await createPhotoshopHost(ps.module, { maskModel: modelOf(network) })
      .runAction(maskJewelryRequest(), job({ progress: (_f, text) => { if (text) said.push(text); } }));
    assert.ok(said.includes('Finding the jewelry inside your selection'), said.join(' | '));
    assert.equal(outcome.summary.headline, 'Jewelry masked inside the selection');
    assert.ok(outcome.summary.details.includes('Looked only inside your selection, and 1 % round it'), outcome.summary.details.join(' | '));
    const puts = ps.of('putSelection').map((c) => c.imageData.data as Uint8Array);
    const [jewelry, active] = [puts[0], puts.at(-1)!];
    assert.deepEqual(active, jewelry, 'the found jewelry is left selected, not the marquee');
    const margin = Math.round(0.01 * Math.max(W / 2, H));
    let found = 0;
    jewelry.forEach((v, i) => {
      if (v < 128) return;
      found++;
      const x = i % W, y = Math.floor(i / W);
      assert.ok(x < W / 2 + margin, `jewelry at (${x}, ${y}), outside the selection`);
      // The middle half of the selection's frame (its left half, grown by the margin), then the middle half again.
      assert.ok(x >= W / 8 - margin && y >= H / 4 - margin && y < (3 * H) / 4 + margin, `jewelry at (${x}, ${y})`);
    });
    assert.ok(found > 0);
  });

  test('a selection the model finds nothing in: says so in the selection\'s words, nothing written', async () => {
    const marquee = new Uint8Array(W * H);
    for (let y = 0; y < H / 4; y++) marquee.fill(255, y * W, y * W + W / 4);
    const ps = recordingPhotoshop(setup({ selection: { data: marquee, bounds: { left: 0, top: 0, right: W, bottom: H } } }));
    await assert.rejects(
      createPhotoshopHost(ps.module, { maskModel: modelOf(fakeNetwork('nothing')) }).runAction(maskJewelryRequest(), job()),
      { message: "Loupe's model found no jewelry inside your selection, so nothing was written: draw the selection around the piece, or deselect (Select › Deselect) to let Loupe look at the whole photo." },
    );
    assertNothingChanged(ps);
  });

  test('no stones seen: only the Jewelry channel, and the summary says so', async () => {
    const network = fakeNetwork();
    const noStones: MaskNetwork = {
      multiple: 32,
      async run(planes, w, h) {
        const out = await network.run(planes, w, h);
        out.logits.fill(-8, w * h);
        return out;
      },
    };
    const ps = recordingPhotoshop(setup());
    const outcome = await createPhotoshopHost(ps.module, { maskModel: modelOf(noStones) }).runAction(maskJewelryRequest(), job());
    assert.deepEqual(outcome.selections, ['Jewelry']);
    assert.ok(outcome.summary.details.includes('No stones found'));
    assert.equal(ps.of('putSelection').length, 2);
  });

  test('the model finds nothing: a plain message, nothing written', async () => {
    const ps = recordingPhotoshop(setup());
    await assert.rejects(
      createPhotoshopHost(ps.module, { maskModel: modelOf(fakeNetwork('nothing')) }).runAction(maskJewelryRequest(), job()),
      { message: "Loupe's model found no jewelry in this photo, so nothing was written: check that the photo layer is selected, or select the piece by hand." },
    );
    assertNothingChanged(ps);
  });

  test('the model file damaged or missing in the plugin folder: what to do, nothing changed', async () => {
    const repoFile = async (path: string) => {
      const file = path.replace(/^plugin:\/ort\//, 'node_modules/onnxruntime-web/dist/').replace(/^plugin:\//, '');
      const bytes = await readFile(join(root, file));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    };
    const damaged = { async readFile(path: string) {
      const bytes = new Uint8Array(await repoFile(path));
      if (path.endsWith('.onnx')) bytes[100] ^= 0x55;
      return bytes.buffer;
    } };
    const missing = { async readFile(path: string) {
      if (path.endsWith('.onnx')) throw new Error('ENOENT');
      return repoFile(path);
    } };
    for (const [fs, message] of [
      [damaged, /^Loupe's mask model \(models\/jewelry-mask\.onnx\) is damaged \(sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\): reinstall Loupe\.$/],
      [missing, /^Loupe's mask model \(models\/jewelry-mask\.onnx\) is missing: reinstall Loupe\.$/],
    ] as const) {
      const ps = recordingPhotoshop(setup());
      await assert.rejects(createPhotoshopHost(ps.module, { maskModel: pluginMaskModel(fs) }).runAction(maskJewelryRequest(), job()), { message });
      assertNothingChanged(ps);
    }
  });

  test('a host without the model refuses in words', async () => {
    const ps = recordingPhotoshop(setup());
    await assert.rejects(createPhotoshopHost(ps.module).runAction(maskJewelryRequest(), job()), { message: "Loupe's mask model is not available here: reinstall Loupe." });
    assertNothingChanged(ps);
  });

  test('refusals come before the model is even loaded, touching nothing', async () => {
    const load = modelOf(fakeNetwork());
    for (const document of [{ mode: 'CMYKColorMode' }, { activeLayers: [{ kind: 'group' }] }, { activeLayers: [{ allLocked: true, name: 'Ring' }] }]) {
      const ps = recordingPhotoshop({ ...setup(), document: { width: W, height: H, ...document } });
      await assert.rejects(createPhotoshopHost(ps.module, { maskModel: load }).runAction(maskJewelryRequest(), job()));
      assert.deepEqual(ps.calls, []);
    }
    assert.equal(load.loads, 0);
  });

  test('Cancel while the model runs: rolled back, nothing written', async () => {
    const controller = new AbortController();
    const network = fakeNetwork();
    const cancelling: MaskNetwork = {
      multiple: 32,
      async run(planes, w, h) {
        controller.abort(); // the retoucher presses Cancel during the first pass
        return network.run(planes, w, h);
      },
    };
    const ps = recordingPhotoshop(setup());
    await assert.rejects(createPhotoshopHost(ps.module, { maskModel: modelOf(cancelling) }).runAction(maskJewelryRequest(), job({ signal: controller.signal })), CancelledError);
    assertNothingChanged(ps);
    assert.equal(network.runs, 1, 'the zoomed pass never ran');
  });
});

describe('Retouch metal without a selection: the model first, the backdrop finder where it finds nothing or cannot run', () => {
  /** The sample with its backdrop (away from the ring) turned into a coarse texture: no longer a plain backdrop. */
  function busyBackdrop(): LayerPixels {
    const data = new Uint8Array(samplePixels.data);
    for (let i = 0; i < W * H; i++) {
      const x = i % W, y = Math.floor(i / W);
      const nearRing = sampleMask[i] > 0 || Math.abs(x - W / 2) < W / 4 && Math.abs(y - H / 2) < H / 4;
      if (nearRing) continue;
      const v = ((x >> 3) + (y >> 3)) % 2 ? 40 : 220;
      data.set([v, 255 - v, (v * 3) % 256], i * 3);
    }
    return { ...samplePixels, data };
  }

  test("a plain backdrop: the model's mask too, as on the command line (measured closer than the backdrop finder's)", async () => {
    const network = fakeNetwork();
    const ps = recordingPhotoshop(setup());
    const outcome = await createPhotoshopHost(ps.module, { maskModel: modelOf(network) }).runAction(retouchMetalRequest(RETOUCH_METAL_DEFAULTS), job());
    assert.equal(network.runs, 5);
    assert.ok(outcome.summary.details.includes("Jewelry mask: Loupe's mask model (jewelry-mask.onnx test)"), outcome.summary.details.join(' | '));
  });

  test('a plain backdrop where the model finds nothing: the backdrop finder, and the summary says why', async () => {
    const ps = recordingPhotoshop(setup());
    const outcome = await createPhotoshopHost(ps.module, { maskModel: modelOf(fakeNetwork('nothing')) }).runAction(retouchMetalRequest(RETOUCH_METAL_DEFAULTS), job());
    const details = outcome.summary.details.join(' | ');
    assert.ok(outcome.summary.details.includes('Jewelry mask: found automatically on the plain backdrop'), details);
    assert.match(details, /Loupe's mask model found no jewelry, so the piece was found from the plain backdrop/);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
  });

  test('a plain backdrop and the model unavailable: the backdrop finder, with the reason in the summary', async () => {
    const ps = recordingPhotoshop(setup());
    const outcome = await createPhotoshopHost(ps.module, { maskModel: brokenModel }).runAction(retouchMetalRequest(RETOUCH_METAL_DEFAULTS), job());
    const details = outcome.summary.details.join(' | ');
    assert.ok(outcome.summary.details.includes('Jewelry mask: found automatically on the plain backdrop'), details);
    assert.match(details, /Loupe's mask model could not run \(Loupe's mask model \(models\/jewelry-mask\.onnx\) is missing: reinstall Loupe\), so the piece was found from the plain backdrop/);
  });

  test("a busy backdrop: the model's mask, named in the summary with a line to check it", async () => {
    const network = fakeNetwork();
    const ps = recordingPhotoshop(setup({ layerPixels: busyBackdrop() }));
    const outcome = await createPhotoshopHost(ps.module, { maskModel: modelOf(network) }).runAction(retouchMetalRequest(RETOUCH_METAL_DEFAULTS), job());
    assert.equal(network.runs, 5, 'the model ran: coarse, then zoomed as seen, mirrored, upside down and both');
    const details = outcome.summary.details.join(' | ');
    assert.ok(outcome.summary.details.includes("Jewelry mask: Loupe's mask model (jewelry-mask.onnx test)"), details);
    assert.match(details, /The piece was found by Loupe's mask model: check the saved "Jewelry" channel/);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
  });

  test('a busy backdrop and the model unavailable: what to do, nothing changed', async () => {
    const ps = recordingPhotoshop(setup({ layerPixels: busyBackdrop() }));
    await assert.rejects(createPhotoshopHost(ps.module, { maskModel: brokenModel }).runAction(retouchMetalRequest(RETOUCH_METAL_DEFAULTS), job()), {
      message: "Loupe could not find the piece on its own (Loupe's mask model could not run (Loupe's mask model (models/jewelry-mask.onnx) is missing: reinstall Loupe), "
        + 'and the backdrop is not plain enough): select the jewelry (Select › Subject, then refine the edge), then run again.',
    });
    assertNothingChanged(ps);
  });

  test('a busy backdrop where the model finds nothing: what to do, nothing changed', async () => {
    const ps = recordingPhotoshop(setup({ layerPixels: busyBackdrop() }));
    await assert.rejects(createPhotoshopHost(ps.module, { maskModel: modelOf(fakeNetwork('nothing')) }).runAction(retouchMetalRequest(RETOUCH_METAL_DEFAULTS), job()), {
      message: "Loupe could not find the piece on its own (Loupe's mask model found no jewelry, and the backdrop is not plain enough): "
        + 'select the jewelry (Select › Subject, then refine the edge), then run again.',
    });
    assertNothingChanged(ps);
  });

  function onSkin(): LayerPixels {
    const data = new Uint8Array(samplePixels.data);
    for (let i = 0; i < W * H; i++) if (sampleMask[i] === 0) data.set([190, 128, 100], i * 3);
    return { ...samplePixels, data };
  }

  /** The ring selected on skin, a model that counts its loads and runs, and what the panel said meanwhile. */
  function selectionOnSkin() {
    const network = fakeNetwork();
    const load = modelOf(network);
    const ps = recordingPhotoshop(setup({ layerPixels: onSkin(), selection: { data: sampleMask, bounds: { left: 0, top: 0, right: W, bottom: H } } }));
    const said: string[] = [];
    const host = createPhotoshopHost(ps.module, { maskModel: load });
    return { network, load, host, said, job: job({ progress: (_f, text) => { if (text) said.push(text); } }) };
  }

  test('a selection on skin: the model reads only the metal family (one inference), and the summary says what it read', async () => {
    const { network, load, host, said, job: planJob } = selectionOnSkin();
    const outcome = await host.runAction(retouchMetalRequest(RETOUCH_METAL_DEFAULTS), planJob);
    const details = outcome.summary.details.join(' | ');
    assert.ok(said.includes('Reading the metal with the mask model'), said.join(' | '));
    assert.ok(outcome.summary.details.includes('Jewelry mask: your selection'), details);
    assert.ok(outcome.summary.details.includes("Cast judged from the metal's own colour"), details);
    assert.deepEqual([load.loads, network.runs], [1, 1], 'the whole-frame pass only');
    assert.match(details, /Identified as 18K yellow gold from the metal's own colour, as Loupe's mask model also read it: gold \(\d+ % sure\)/);
    assert.equal(outcome.summary.headline, 'Detected 18K yellow gold');
  });

  test('the fidelity check on a selection on skin reads the metal family with the model too (one inference), saying so', async () => {
    const { network, load, host, said, job: checkJob } = selectionOnSkin();
    const report = await host.runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), checkJob);
    assert.deepEqual([load.loads, network.runs], [1, 1], 'the whole-frame pass only');
    assert.ok(said.includes('Reading the metal with the mask model'), said.join(' | '));
    assert.match(report.items.find((i) => i.label === 'Metal tone')?.detail ?? '', /^18K yellow gold/);
  });

  test('a selection wins over both, and the model is not loaded where the backdrop tells the metal', async () => {
    const load = modelOf(fakeNetwork());
    const ps = recordingPhotoshop(setup({ layerPixels: busyBackdrop(), selection: { data: sampleMask, bounds: { left: 0, top: 0, right: W, bottom: H } } }));
    const outcome = await createPhotoshopHost(ps.module, { maskModel: load }).runAction(retouchMetalRequest(RETOUCH_METAL_DEFAULTS), job());
    assert.ok(outcome.summary.details.includes('Jewelry mask: your selection'));
    assert.equal(load.loads, 0);
  });
});
