/**
 * Contract tests of the Photoshop host against a recording stub of the `photoshop` module: one history step
 * per action, rollback on any failure or cancel, refusals before anything is touched, descriptors equal
 * to the golden fixtures, and pixel buffers shaped as the Imaging API page requires.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createPhotoshopHost } from '../../../src/hosts/photoshop/photoshopHost.ts';
import { BUSY_MESSAGE } from '../../../src/hosts/photoshop/oneHistoryStep.ts';
import { retouchMetalRequest, RETOUCH_METAL_DEFAULTS } from '../../../panels/actions/retouchMetalAction.ts';
import { fidelityCheckRequest, FIDELITY_DEFAULTS } from '../../../panels/actions/fidelityCheckAction.ts';
import { CancelledError, type Job } from '../../../panels/host.ts';
import { planRetouchMetal } from '../../../src/engine/metal/retouchMetal.ts';
import { createMask, createRgba8 } from '../../../src/engine/image.ts';
import { stackRecipes } from '../../../src/recipe/recipeGroups.ts';
import type { Recipe } from '../../../src/recipe/recipe.ts';
import * as layers from '../../../src/hosts/photoshop/descriptors/layers.ts';
import { makeAdjustmentLayer } from '../../../src/hosts/photoshop/descriptors/adjustments.ts';
import { DOCUMENT_ID, SOURCE_LAYER_ID, recordingPhotoshop, type LayerPixels, type StubSetup } from './recordingPhotoshop.ts';
import { SAMPLE_HEIGHT, SAMPLE_WIDTH, loadQuarterSizeSample } from './bundledSample.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixturesDir = join(root, 'test', 'fixtures', 'batchplay');
const W = SAMPLE_WIDTH;
const H = SAMPLE_HEIGHT;

let samplePixels: LayerPixels;
let sampleMask: Uint8Array;

before(async () => {
  ({ pixels: samplePixels, mask: sampleMask } = await loadQuarterSizeSample());
});

function job(overrides: Partial<Job> = {}): Job & { messages: string[] } {
  const messages: string[] = [];
  return { signal: new AbortController().signal, progress: (_f, m) => messages.push(m), messages, ...overrides };
}

function setup(extra: Partial<StubSetup> = {}): StubSetup {
  return { document: { width: W, height: H }, layerPixels: samplePixels, ...extra };
}

const request = () => retouchMetalRequest(RETOUCH_METAL_DEFAULTS);

describe('one action, one history step', () => {
  test('Retouch metal runs in one executeAsModal with exactly one suspend/resume pair, committed, named after the action', async () => {
    const ps = recordingPhotoshop(setup());
    const outcome = await createPhotoshopHost(ps.module).runAction(request(), job());
    assert.equal(ps.of('executeAsModal').length, 1);
    assert.deepEqual(ps.of('suspendHistory'), [{ kind: 'suspendHistory', documentID: DOCUMENT_ID, name: 'Loupe: Retouch metal' }]);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
    // Suspended before the first change, resumed after the last.
    const kinds = ps.calls.map((c) => c.kind);
    assert.equal(kinds[1], 'suspendHistory');
    assert.equal(kinds.at(-1), 'resumeHistory');
    assert.equal(outcome.historyName, 'Loupe: Retouch metal');
    assert.equal(outcome.groupName, 'Loupe · Retouch metal');
    assert.match(outcome.summary.headline, /^Detected 18K yellow gold$/);
    assert.ok(outcome.summary.details.includes('Jewelry mask: found automatically on the plain backdrop'));
  });

  test('writes the group, then each recipe layer bottom → top with its mask, blend and opacity, then the Jewelry selection', async () => {
    const ps = recordingPhotoshop(setup());
    const outcome = await createPhotoshopHost(ps.module).runAction(request(), job());
    const descriptors = ps.descriptors();
    assert.deepEqual(descriptors.slice(0, 3), [layers.deselect(), layers.selectLayerById(SOURCE_LAYER_ID), layers.makeGroup('Loupe · Retouch metal')]);
    const made = descriptors.filter((d) => d._obj === 'make' && d.new === undefined).map((d) => (d.using as { name: string }).name);
    assert.deepEqual(made, ['Loupe · Retouch metal', ...outcome.layers]);
    assert.deepEqual(outcome.layers.slice(0, 1), ['Metal tone · 18K yellow gold']);
    // Every layer in the recipe is masked: one putLayerMask per layer, on the layer just made.
    assert.equal(ps.of('putLayerMask').length, outcome.layers.length);
    assert.equal(descriptors.filter((d) => d._obj === 'set' && (d.to as { _obj?: string })._obj === 'layer').length, outcome.layers.length);
    assert.deepEqual(outcome.selections, ['Jewelry']);
    assert.equal(ps.of('putSelection').length, 1);
    const saveAt = descriptors.findIndex((d) => d._obj === 'duplicate');
    assert.deepEqual(descriptors.slice(saveAt, saveAt + 2), [layers.saveSelectionAsChannel('Jewelry'), layers.deselect()]);
    // Ends with the group selected.
    assert.equal(descriptors.at(-1)?._obj, 'select');
  });

  test('the recorded adjustment descriptors are exactly what the builders make from the engine recipe', async () => {
    const ps = recordingPhotoshop(setup());
    await createPhotoshopHost(ps.module).runAction(request(), job());
    const image = createRgba8(W, H, rgbToRgba(samplePixels.data as Uint8Array));
    const { segmentOnPlainBackdrop } = await import('../../../src/engine/segmentation/plainBackdropMask.ts');
    const plan = planRetouchMetal(image, { jewelryMask: segmentOnPlainBackdrop(image).mask, metal: 'auto', includeStones: false });
    const expected = plan.recipe.layers.flatMap((l) => (l.kind === 'adjustment' ? makeAdjustmentLayer(l.name, l.adjustment) : []));
    const recorded = ps.descriptors().filter((d) => (d._target as { _ref?: string }[] | undefined)?.[0]?._ref === 'adjustmentLayer');
    assert.ok(expected.length >= 1);
    assert.deepEqual(recorded, expected);
  });

  test('a recipe of several groups: each group made above the photo, top one first, so they stack bottom → top', async () => {
    const curves = (name: string): Recipe['layers'][number] => ({ kind: 'adjustment', name, blendMode: 'normal', opacity: 1, mask: createMask(W, H), adjustment: { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 255, output: 250 }] } });
    const recipe = stackRecipes([
      { groupName: 'Loupe · Retouch metal', width: W, height: H, layers: [curves('Metal tone'), curves('Hotspot roll-off')] },
      { groupName: 'Loupe · Sharpen', width: W, height: H, layers: [curves('Sharpen metal')] },
    ]);
    const ps = recordingPhotoshop(setup());
    const outcome = await createPhotoshopHost(ps.module).runAction(
      { historyName: 'Loupe: Test', plan: async () => ({ recipe, summary: { headline: 'Two groups', details: [] } }) },
      job(),
    );
    assert.deepEqual(outcome.layers, ['Metal tone', 'Hotspot roll-off', 'Sharpen metal']);
    const made = ps.descriptors().filter((d) => d._obj === 'make' && d.new === undefined || d._obj === 'select').map((d) =>
      d._obj === 'select' ? `select ${(d._target as { _id: number }[])[0]._id}` : (d.using as { name: string }).name);
    assert.deepEqual(made, [
      `select ${SOURCE_LAYER_ID}`, 'Loupe · Sharpen', 'Sharpen metal',
      `select ${SOURCE_LAYER_ID}`, 'Loupe · Retouch metal', 'Metal tone', 'Hotspot roll-off',
      'select 100', // the top group, selected at the end
    ]);
    assert.equal(ps.of('suspendHistory').length, 1, 'still one history step');
  });

  test('all four adjustment kinds, blend mode, opacity, clipping and a hidden layer are written as the recipe says', async () => {
    const base = { blendMode: 'normal' as const, opacity: 1 };
    const recipe: Recipe = {
      groupName: 'Loupe · Test', width: W, height: H,
      layers: [
        { ...base, kind: 'adjustment', name: 'Tone', adjustment: { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 255, output: 250 }] } },
        { ...base, kind: 'adjustment', name: 'Saturation', clipping: true, adjustment: { type: 'hue/saturation', hue: 0, saturation: -12, lightness: 0 } },
        { kind: 'adjustment', name: 'Balance', blendMode: 'soft light', opacity: 0.6, visible: false, adjustment: { type: 'color balance', shadows: [0, 0, -5], midtones: [3, 0, -8], highlights: [0, 0, 0], preserveLuminosity: true } },
        { ...base, kind: 'adjustment', name: 'Mix', adjustment: { type: 'channel mixer', red: [100, 0, 0, 0], green: [4, 96, 0, 0], blue: [0, 6, 94, -2] } },
      ],
    };
    const ps = recordingPhotoshop(setup());
    await createPhotoshopHost(ps.module).runAction({ historyName: 'Loupe: Test', plan: async () => ({ recipe, summary: { headline: '', details: [] } }) }, job());
    const played = ps.of('batchPlay').map((c) => c.descriptors);
    const idOf = layers.getActiveLayerId();
    const expected: unknown[][] = [[layers.deselect()], [layers.selectLayerById(SOURCE_LAYER_ID), layers.makeGroup('Loupe · Test')], [idOf]];
    for (const layer of recipe.layers) {
      if (layer.kind !== 'adjustment') continue;
      expected.push(makeAdjustmentLayer(layer.name, layer.adjustment), [idOf], [
        layers.setBlendAndOpacity(layer.blendMode, layer.opacity),
        ...(layer.clipping ? [layers.createClippingMask()] : []),
        ...(layer.visible === false ? [layers.hideActiveLayer()] : []),
      ]);
    }
    expected.push([layers.selectLayerById(100)]);
    assert.deepEqual(played, expected);
    assert.equal(ps.of('putLayerMask').length, 0, 'no mask in the recipe, none written');
  });

  test('every masked layer gets exactly one mask, whether or not Photoshop adds one to new adjustment layers', async () => {
    for (const adjustmentMaskByDefault of [true, false]) {
      const ps = recordingPhotoshop(setup({ adjustmentMaskByDefault }));
      const outcome = await createPhotoshopHost(ps.module).runAction(request(), job());
      const added = ps.descriptors().filter((d) => d._obj === 'make' && d.new !== undefined).length;
      const pixelLayers = outcome.layers.filter((n) => n.startsWith('Hotspot tint')).length;
      assert.equal(added, adjustmentMaskByDefault ? pixelLayers : outcome.layers.length);
      assert.equal(ps.of('putLayerMask').length, outcome.layers.length);
    }
  });

  test('the selection, when there is one, is the jewelry mask, and it is the selection again afterwards', async () => {
    const ps = recordingPhotoshop(setup({ selection: { data: sampleMask, bounds: { left: 0, top: 0, right: W, bottom: H } } }));
    const outcome = await createPhotoshopHost(ps.module).runAction(request(), job());
    assert.equal(ps.of('getSelection').length, 1);
    assert.ok(outcome.summary.details.includes('Jewelry mask: your selection'));
    // Dropped while writing (it would mask the new layers), loaded again last, inside the history step.
    const kinds = ps.calls.map((c) => c.kind);
    assert.equal(kinds.lastIndexOf('putSelection') > kinds.lastIndexOf('putPixels'), true);
    assert.equal(ps.of('putSelection').length, 2, 'once to save the Jewelry channel, once to leave the selection');
    assert.deepEqual(ps.of('putSelection').at(-1)?.imageData.data, sampleMask);
    assert.equal(kinds.at(-1), 'resumeHistory');
  });

  test('without a selection none is left behind (the saved Jewelry channel is only saved)', async () => {
    const ps = recordingPhotoshop(setup());
    await createPhotoshopHost(ps.module).runAction(request(), job());
    const descriptors = ps.descriptors();
    const lastSave = descriptors.map((d) => d._obj).lastIndexOf('duplicate');
    assert.deepEqual(descriptors[lastSave + 1], layers.deselect(), 'deselected after saving the channel');
    assert.equal(ps.of('putSelection').length, 1, 'only to save the channel');
  });
});

describe('later runs: layer order and channels', () => {
  const curves = (name: string): Recipe['layers'][number] => ({ kind: 'adjustment', name, blendMode: 'normal', opacity: 1, adjustment: { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 255, output: 250 }] } });
  const planned = (recipe: Recipe) => ({ historyName: `Loupe: ${recipe.groupName}`, plan: async () => ({ recipe, summary: { headline: '', details: [] } }) });
  const group = (name: string, ...layerNames: string[]): Recipe => ({ groupName: name, width: W, height: H, layers: layerNames.map(curves) });

  test('each run lands on top of the Loupe groups above the photo, under the retoucher\'s own layer, in its one history step', async () => {
    const ps = recordingPhotoshop(setup({ above: [{ name: 'Dodge & burn', kind: 'pixel' }] }));
    const host = createPhotoshopHost(ps.module);
    await host.runAction(planned(group('Loupe · Retouch metal', 'Metal tone')), job());
    await host.runAction(planned(group('Loupe · Contact shadow', 'Shadow')), job());
    await host.runAction(planned(stackRecipes([group('Loupe · Sharpen', 'Sharpen metal'), group('Loupe · Test', 'Test layer')])), job());
    assert.deepEqual(ps.stack(), [
      'Dodge & burn',
      'Loupe · Test', '  Test layer',
      'Loupe · Sharpen', '  Sharpen metal',
      'Loupe · Contact shadow', '  Shadow',
      'Loupe · Retouch metal', '  Metal tone',
      'Background',
    ]);
    assert.deepEqual(ps.of('suspendHistory').length, 3);
    assert.deepEqual(ps.of('resumeHistory').map((c) => c.commit), [true, true, true]);
    // Every move happens inside its run's history step (between a suspend and its resume).
    const kinds = ps.calls.map((c) => c.kind).filter((k) => k === 'suspendHistory' || k === 'resumeHistory' || k === 'moveLayer');
    assert.deepEqual(kinds, ['suspendHistory', 'resumeHistory', 'suspendHistory', 'moveLayer', 'resumeHistory', 'suspendHistory', 'moveLayer', 'moveLayer', 'resumeHistory']);
  });

  test('Retouch metal after Mask jewelry: one Jewelry channel, Stones kept, the retoucher\'s channels untouched', async () => {
    const ps = recordingPhotoshop(setup({ channels: ['Alpha 1', 'Jewelry edge (mine)'] }));
    const host = createPhotoshopHost(ps.module);
    const masked: Recipe = { groupName: 'Loupe · Mask jewelry', width: W, height: H, layers: [], activeSelection: 'Jewelry', selections: [{ name: 'Jewelry', mask: createMask(W, H) }, { name: 'Stones', mask: createMask(W, H) }] };
    await host.runAction(planned(masked), job());
    assert.deepEqual(ps.alphaChannels(), ['Alpha 1', 'Jewelry edge (mine)', 'Jewelry', 'Stones']);
    const outcome = await host.runAction(request(), job());
    assert.deepEqual(outcome.selections, ['Jewelry']);
    assert.deepEqual(ps.alphaChannels(), ['Alpha 1', 'Jewelry edge (mine)', 'Stones', 'Jewelry']);
    assert.deepEqual(ps.of('resumeHistory').map((c) => c.commit), [true, true], 'each run one committed step');
    // The delete sits in the same batchPlay as the save, inside the second run's history step.
    const second = ps.calls.slice(ps.calls.map((c) => c.kind).lastIndexOf('suspendHistory'));
    const played = second.flatMap((c) => (c.kind === 'batchPlay' ? c.descriptors : []));
    assert.deepEqual(played.filter((d) => d._obj === 'delete'), [layers.deleteChannelByName('Jewelry')]);
  });

  test('duplicates left by an earlier version are cleaned up to one channel', async () => {
    const ps = recordingPhotoshop(setup({ channels: ['Jewelry', 'Metal', 'Jewelry'] }));
    const recipe: Recipe = { ...group('Loupe · Test', 'Tone'), selections: [{ name: 'Jewelry', mask: createMask(W, H) }] };
    await createPhotoshopHost(ps.module).runAction(planned(recipe), job());
    assert.deepEqual(ps.alphaChannels(), ['Metal', 'Jewelry']);
  });
});

describe('failure and cancel leave the document as it was', () => {
  test('an error mid-way (the second layer mask) resumes history with commit=false and reports it', async () => {
    const ps = recordingPhotoshop(setup({ failAt: { kind: 'putLayerMask', occurrence: 2, error: new Error('The layer mask could not be written') } }));
    await assert.rejects(createPhotoshopHost(ps.module).runAction(request(), job()), /The layer mask could not be written/);
    assert.equal(ps.of('suspendHistory').length, 1);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }]);
    assert.equal(ps.calls.at(-1)?.kind, 'resumeHistory');
  });

  test('a batchPlay error resumes without commit too', async () => {
    const ps = recordingPhotoshop(setup({ failAt: { kind: 'batchPlay', occurrence: 4 } }));
    await assert.rejects(createPhotoshopHost(ps.module).runAction(request(), job()));
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }]);
  });

  test('Cancel in the panel while writing stops before the next layer and rolls back', async () => {
    const controller = new AbortController();
    const ps = recordingPhotoshop(setup({ onCall: (c) => { if (c.kind === 'putLayerMask') controller.abort(); } }));
    await assert.rejects(createPhotoshopHost(ps.module).runAction(request(), job({ signal: controller.signal })), CancelledError);
    assert.equal(ps.of('putLayerMask').length, 1, 'nothing written after the cancel');
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }]);
  });

  test("Cancel in Photoshop's progress bar rolls back as well", async () => {
    const late: { ps?: ReturnType<typeof recordingPhotoshop> } = {};
    const ps = recordingPhotoshop(setup({ onCall: (c) => { if (c.kind === 'putPixels') late.ps?.cancelPhotoshopSide(); } }));
    late.ps = ps;
    await assert.rejects(createPhotoshopHost(ps.module).runAction(request(), job()), CancelledError);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }]);
  });

  test('another plugin holding the modal state gives a plain message and touches nothing', async () => {
    const busy = Object.assign(new Error('host is in a modal state'), { number: 9 });
    const ps = recordingPhotoshop(setup({ failAt: { kind: 'executeAsModal', occurrence: 1, error: busy } }));
    await assert.rejects(createPhotoshopHost(ps.module).runAction(request(), job()), { message: BUSY_MESSAGE });
    assert.equal(ps.of('suspendHistory').length + ps.of('batchPlay').length, 0);
  });
});

describe('an action that waits on a server keeps Photoshop usable meanwhile', () => {
  /** Retouch metal's plan, flagged as waiting on a server; `during` runs inside the plan. */
  function serverRequest(during: () => void = () => {}) {
    const inner = request();
    return { historyName: inner.historyName, waitsOnServer: true, plan: async (input: Parameters<typeof inner.plan>[0], j: Job) => { during(); return inner.plan(input, j); } };
  }

  test('reads in one short modal scope, plans outside any, writes in a second with the one history step', async () => {
    const ps = recordingPhotoshop(setup());
    let callsAtPlan = -1;
    const outcome = await createPhotoshopHost(ps.module).runAction(serverRequest(() => { callsAtPlan = ps.calls.length; }), job());
    assert.deepEqual(ps.of('executeAsModal').map((c) => c.commandName), ['Loupe: Retouch metal', 'Loupe: Retouch metal']);
    // When the plan started, the first scope had read the layer and nothing was suspended or written yet.
    const beforePlan = ps.calls.slice(0, callsAtPlan).map((c) => c.kind);
    assert.deepEqual(beforePlan, ['executeAsModal', 'getPixels']);
    const afterPlan = ps.calls.slice(callsAtPlan).map((c) => c.kind);
    assert.deepEqual(afterPlan.slice(0, 3), ['executeAsModal', 'suspendHistory', 'getPixels']);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: true }]);
    assert.equal(outcome.groupName, 'Loupe · Retouch metal');
  });

  test('the photo edited while the server worked: refused with a plain sentence, history rolled back, nothing written', async () => {
    const pixels = { ...samplePixels, data: new Uint8Array(samplePixels.data) };
    const ps = recordingPhotoshop(setup({ layerPixels: pixels }));
    await assert.rejects(
      createPhotoshopHost(ps.module).runAction(serverRequest(() => { pixels.data[0] ^= 0xff; }), job()),
      /"[^"]+" was edited while the scene was generated: run again .*nothing was written/,
    );
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }]);
    assert.equal(ps.of('batchPlay').length, 0);
  });
});

describe('refusals: a clear message, nothing touched', () => {
  const cases: [string, Partial<StubSetup>, RegExp][] = [
    ['no document', { document: null }, /^Open a photo first/],
    ['CMYK', { document: { mode: 'CMYKColorMode' } }, /^This document is CMYK: .*Image › Mode › RGB Color/],
    ['Lab', { document: { mode: 'labColorMode' } }, /^This document is Lab:/],
    ['Indexed', { document: { mode: 'indexedColorMode' } }, /^This document is Indexed Color:/],
    ['32-bit', { document: { bitsPerChannel: 'bitDepth32' } }, /32 bits per channel .*16 or 8 Bits\/Channel/],
    ['no active layer', { document: { activeLayers: [] } }, /No layer is selected/],
    ['two layers selected', { document: { activeLayers: [{}, {}] } }, /Several layers are selected/],
    ['a group', { document: { activeLayers: [{ kind: 'group', name: 'Retouch' }] } }, /A group is selected/],
    ['an adjustment layer', { document: { activeLayers: [{ kind: 'curves', name: 'Curves 1' }] } }, /An adjustment layer \("Curves 1"\) is selected/],
    ['a smart object', { document: { activeLayers: [{ kind: 'smartObject' }] } }, /A smart object is selected: .*Rasterize/],
    ['a hidden layer', { document: { activeLayers: [{ visible: false, name: 'Ring' }] } }, /"Ring" is hidden: show it/],
    ['a locked layer', { document: { activeLayers: [{ allLocked: true, name: 'Ring' }] } }, /"Ring" is locked: unlock it/],
  ];
  for (const [what, extra, message] of cases) {
    test(what, async () => {
      const base = setup();
      const ps = recordingPhotoshop({ ...base, ...extra, document: extra.document === null ? null : { ...base.document, ...extra.document } });
      await assert.rejects(createPhotoshopHost(ps.module).runAction(request(), job()), { message });
      assert.deepEqual(ps.calls, [], 'no Photoshop call at all');
    });
  }
});

describe('Fidelity check reads, never writes', () => {
  test('one modal scope for the reads, no history step, no batchPlay, no put*; the layer and the composite are compared', async () => {
    const ps = recordingPhotoshop(setup());
    const report = await createPhotoshopHost(ps.module).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job());
    assert.deepEqual(ps.of('executeAsModal').map((c) => c.commandName), ['Loupe: Fidelity check']);
    assert.equal(ps.of('suspendHistory').length + ps.of('batchPlay').length + ps.of('putPixels').length + ps.of('putLayerMask').length + ps.of('putSelection').length, 0);
    const reads = ps.of('getPixels').map((c) => c.options.layerID);
    assert.deepEqual(reads, [SOURCE_LAYER_ID, undefined], 'the photo layer, then the composite');
    // The stub's composite is the photo itself: nothing changed, so nothing can fail.
    assert.notEqual(report.verdict, 'fail');
    assert.ok(report.items.length >= 5, 'every check is listed');
    assert.match(report.headline, /^Faithful for a marketplace listing/);
  });

  test('a "Stones" channel is read for the Stone count under a rolled-back suspension (the selection and history as they were); without one the check says how to make it', async () => {
    const stones = new Uint8Array(await sharp(join(root, 'samples', 'ring-yellow-gold-warm-cast.stones.png')).resize(W, H).greyscale().raw().toBuffer());
    const bounds = { left: 0, top: 0, right: W, bottom: H };
    const ps = recordingPhotoshop(setup({ selection: { data: sampleMask, bounds }, channelMasks: { Stones: { data: stones, bounds } } }));
    const report = await createPhotoshopHost(ps.module).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job());
    const count = report.items.find((i) => i.label === 'Stone count');
    assert.equal(count?.verdict, 'pass', JSON.stringify(count));
    assert.ok(report.details.includes('Stones: the "Stones" channel'), report.details.join(' | '));
    assert.deepEqual(ps.descriptors(), [layers.loadChannelAsSelection('Stones')]);
    assert.deepEqual(ps.calls.map((c) => c.kind).filter((k) => k !== 'getPixels'), ['executeAsModal', 'getSelection', 'suspendHistory', 'batchPlay', 'getSelection', 'resumeHistory']);
    assert.deepEqual(ps.of('resumeHistory'), [{ kind: 'resumeHistory', commit: false }], 'dropped: no history state, the selection back');
    assert.equal(ps.module.app.activeDocument?.selection?.bounds, bounds);

    const without = recordingPhotoshop(setup({ channels: ['Stones (rough)'] }));
    const skipped = (await createPhotoshopHost(without.module).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job())).items.find((i) => i.label === 'Stone count');
    assert.equal(skipped?.verdict, 'skipped');
    assert.match(skipped?.detail ?? '', /^Not counted: counting stones needs a stones mask \(select the stones and save them as a channel named "Stones" \(Select › Save Selection\)\)/);
    assert.equal(without.of('batchPlay').length, 0);
  });

  test('a heatmap of an earlier check turned on: refused before any read (it would be measured as a change); hidden ones are fine', async () => {
    const fidelityGroup = (shown: boolean) => ({ name: 'Loupe · Fidelity', children: [{ name: 'Colour drift (ΔE2000)', visible: shown }, { name: 'Structure (1 − SSIM)', visible: false }] });
    const showing = recordingPhotoshop(setup({ above: [fidelityGroup(true)] }));
    await assert.rejects(createPhotoshopHost(showing.module).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job()),
      /^Error: The heatmap "Colour drift \(ΔE2000\)" of an earlier check is showing .*turn it off in the Loupe · Fidelity group, then check again\.$/);
    assert.deepEqual(showing.calls, []);
    const hidden = recordingPhotoshop(setup({ above: [fidelityGroup(false)] }));
    await createPhotoshopHost(hidden.module).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job());
    const groupOff = recordingPhotoshop(setup({ above: [{ ...fidelityGroup(true), visible: false }] }));
    await createPhotoshopHost(groupOff.module).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job());
  });

  test('refuses like an action does, touching nothing', async () => {
    const ps = recordingPhotoshop(setup({ document: { width: W, height: H, mode: 'CMYKColorMode' } }));
    await assert.rejects(createPhotoshopHost(ps.module).runCheck(fidelityCheckRequest(FIDELITY_DEFAULTS), job()), /This document is CMYK/);
    assert.deepEqual(ps.calls, []);
  });
});

describe('buffers handed to the Imaging API', () => {
  test('masks and the selection: 1 grayscale component, 8-bit, "Gray Gamma 2.2", the whole canvas at (0,0)', async () => {
    const ps = recordingPhotoshop(setup());
    await createPhotoshopHost(ps.module).runAction(request(), job());
    const grays = [...ps.of('putLayerMask').map((c) => c.imageData), ...ps.of('putSelection').map((c) => c.imageData)];
    assert.ok(grays.length >= 2);
    for (const data of grays) {
      assert.equal(data.components, 1);
      assert.equal(data.colorSpace, 'Grayscale');
      assert.equal(data.colorProfile, 'Gray Gamma 2.2');
      assert.equal(data.componentSize, 8);
      assert.ok(data.data instanceof Uint8Array);
      assert.equal(data.data.length, W * H);
      assert.equal(data.disposed, true, 'disposed after use');
    }
    for (const c of ps.of('putLayerMask')) assert.deepEqual(c.targetBounds, { left: 0, top: 0 });
  });

  test('pixel layers: RGBA 8-bit sRGB, cropped to their content and placed there', async () => {
    const ps = recordingPhotoshop(setup());
    const outcome = await createPhotoshopHost(ps.module).runAction(request(), job());
    const puts = ps.of('putPixels');
    assert.ok(outcome.layers.some((n) => n.startsWith('Hotspot tint')), 'the sample has blown hotspots, so a tint layer');
    assert.equal(puts.length, 1);
    const { imageData, targetBounds } = puts[0];
    assert.equal(imageData.components, 4);
    assert.equal(imageData.colorSpace, 'RGB');
    assert.equal(imageData.colorProfile, 'sRGB IEC61966-2.1');
    assert.equal(imageData.data.length, imageData.width * imageData.height * 4);
    assert.ok(targetBounds && targetBounds.left >= 0 && targetBounds.top >= 0);
    assert.ok(targetBounds.left + imageData.width <= W && targetBounds.top + imageData.height <= H);
    assert.ok(imageData.width < W || imageData.height < H, 'cropped, not canvas-sized');
  });

  test('reads the active layer at the document depth, in sRGB, and a layer smaller than the canvas lands at its bounds', async () => {
    const { readLayerImage } = await import('../../../src/hosts/photoshop/readTarget.ts');
    // A 16-bit 4×2 RGBA layer at (3,1) on a 10×5 canvas, in Photoshop's 0..32768 range.
    const data = new Uint16Array(4 * 2 * 4).map((_, i) => (i % 4 === 3 ? 32768 : 16384));
    const ps = recordingPhotoshop({ document: { width: 10, height: 5, bitsPerChannel: 'bitDepth16' }, layerPixels: { data, bounds: { left: 3, top: 1, right: 7, bottom: 3 }, components: 4 } });
    const doc = ps.module.app.activeDocument!;
    const image = await readLayerImage(ps.module, doc, doc.activeLayers[0]);
    assert.deepEqual(ps.of('getPixels')[0].options, { documentID: DOCUMENT_ID, layerID: SOURCE_LAYER_ID, colorSpace: 'RGB', colorProfile: 'sRGB IEC61966-2.1', componentSize: 16 });
    assert.equal(image.depth, 16);
    assert.equal(image.width, 10);
    const at = (x: number, y: number) => Array.from(image.data.slice((y * 10 + x) * 4, (y * 10 + x) * 4 + 4));
    assert.deepEqual(at(3, 1), [32768, 32768, 32768, 65535], 'full 16-bit range');
    assert.deepEqual(at(2, 1), [0, 0, 0, 0], 'transparent left of the layer');
    assert.deepEqual(at(6, 2), [32768, 32768, 32768, 65535]);
    assert.deepEqual(at(7, 2), [0, 0, 0, 0], 'transparent right of the layer');
  });

  test('previews are read through targetSize (a pyramid level), never at full size', async () => {
    const ps = recordingPhotoshop(setup());
    const url = await createPhotoshopHost(ps.module).preview(256);
    assert.equal(url, 'data:image/jpeg;base64,/9j/stub');
    const [read] = ps.of('getPixels');
    assert.deepEqual(read.options.targetSize, { width: 256 });
    assert.equal(read.options.layerID, undefined, 'the document as it shows, not one layer');
    assert.equal(ps.of('suspendHistory').length, 0, 'a preview is no history step');
  });
});

describe('descriptors equal the golden fixtures', () => {
  const curves = { type: 'curves' as const, red: [{ input: 0, output: 0 }, { input: 128, output: 120.4 }, { input: 255, output: 255 }], green: [{ input: 0, output: 0 }, { input: 128, output: 131 }, { input: 255, output: 255 }], blue: [{ input: 0, output: 0 }, { input: 128, output: 150 }, { input: 255, output: 255 }] };
  const builders: Record<string, () => unknown> = {
    'make-group': () => layers.makeGroup('Loupe · Retouch metal'),
    'make-pixel-layer': () => layers.makePixelLayer('Hotspot tint · 18K yellow gold'),
    'get-active-layer-id': () => layers.getActiveLayerId(),
    'get-has-user-mask': () => layers.getActiveLayerHasUserMask(),
    'select-layer-by-id': () => layers.selectLayerById(7),
    'set-blend-opacity': () => layers.setBlendAndOpacity('soft light', 0.6),
    'create-clipping-mask': () => layers.createClippingMask(),
    'hide-active-layer': () => layers.hideActiveLayer(),
    'add-reveal-all-mask': () => layers.addRevealAllMask(),
    deselect: () => layers.deselect(),
    'save-selection': () => layers.saveSelectionAsChannel('Jewelry'),
    'delete-channel': () => layers.deleteChannelByName('Jewelry'),
    'load-channel-as-selection': () => layers.loadChannelAsSelection('Stones'),
    'adjustment-curves-per-channel': () => makeAdjustmentLayer('Metal tone · 18K yellow gold', curves),
    'adjustment-curves-composite': () => makeAdjustmentLayer('Hotspot roll-off', { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 128, output: 128 }, { input: 230, output: 230 }, { input: 242, output: 238 }, { input: 255, output: 240 }] }),
    'adjustment-hue-saturation': () => makeAdjustmentLayer('Metal saturation', { type: 'hue/saturation', hue: 0, saturation: -12, lightness: 0 }),
    'adjustment-color-balance': () => makeAdjustmentLayer('Backdrop balance', { type: 'color balance', shadows: [0, 0, -5], midtones: [3, 0, -8], highlights: [0, 0, 0], preserveLuminosity: true }),
    'adjustment-channel-mixer': () => makeAdjustmentLayer('Metal mix', { type: 'channel mixer', red: [100, 0, 0, 0], green: [4, 96, 0, 0], blue: [0, 6, 94, -2] }),
  };
  const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));

  test('every fixture has a builder and every builder a fixture', () => {
    assert.deepEqual(files.map((f) => f.replace(/\.json$/, '')).sort(), Object.keys(builders).sort());
  });

  for (const file of files) {
    test(file, () => {
      const fixture = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')) as { source: string; photoshop: string; descriptor: unknown };
      assert.ok(fixture.source.length > 10, 'names its public source');
      assert.ok(fixture.photoshop.length > 0, 'says whether it was recorded in Photoshop');
      const built = builders[file.replace(/\.json$/, '')]();
      assert.deepEqual(built, fixture.descriptor);
      assertPlainJson(built);
    });
  }
});

/** batchPlay takes JSON: no undefined, no NaN, every object descriptor has its class. */
function assertPlainJson(value: unknown, path = '$'): void {
  if (Array.isArray(value)) return value.forEach((v, i) => assertPlainJson(v, `${path}[${i}]`));
  if (typeof value === 'number') return assert.ok(Number.isFinite(value), `${path} is a finite number`);
  if (value === null || typeof value !== 'object') return assert.notEqual(value, undefined, path);
  for (const [k, v] of Object.entries(value)) assertPlainJson(v, `${path}.${k}`);
}

function rgbToRgba(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i]; out[j + 1] = rgb[i + 1]; out[j + 2] = rgb[i + 2]; out[j + 3] = 255;
  }
  return out;
}

