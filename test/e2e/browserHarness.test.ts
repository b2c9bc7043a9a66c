/**
 * End to end: the browser harness built with webpack, served on localhost, driven in Debian's Chromium.
 * Opens the bundled sample, clicks Mask jewelry (Loupe's model running in the page), clicks Retouch metal, checks the layer stack and that the metal changed while
 * the backdrop did not (the preview against the photo and against the engine run here in Node), toggles
 * layers, downloads the PSD, and checks that bad input shows a plain error. Screenshots go to
 * test-artifacts/e2e/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPsd } from 'ag-psd';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { createRgba8, type Mask, type Rgba8Image } from '../../src/engine/image.ts';
import { planRetouchMetal } from '../../src/engine/metal/retouchMetal.ts';
import { segmentOnPlainBackdrop } from '../../src/engine/segmentation/plainBackdropMask.ts';
import { segmentWithModel, type ModelMaskResult } from '../../src/engine/segmentation/modelMask.ts';
import { loadMaskNetwork } from '../../src/hosts/psd/loadMaskModel.ts';
import { STONES_CHANNEL } from '../../panels/actions/maskJewelryAction.ts';
import { DEFAULT_COMFYUI_WORKFLOW } from '../../src/hosts/generators/comfyuiWorkflow.ts';
import { renderRecipe } from '../../src/recipe/compositor.ts';
import { judgeFidelity } from '../../src/engine/fidelity/judgeFidelity.ts';
import { measureFidelity } from '../../src/engine/fidelity/measureFidelity.ts';
import { over } from '../../src/engine/fidelity/overlayRecipe.ts';
import { fidelityOverlay } from '../../panels/actions/fidelityOverlay.ts';
import { buildHarness, serveDirectory } from '../../scripts/dev-server.ts';
import { chromiumMissing, launchChromium } from './chromium.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLE = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
const SAMPLE_MASK = join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png');
const ARTIFACTS = join(root, 'test-artifacts', 'e2e');
const missing = chromiumMissing();

describe('browser harness in Chromium', { skip: missing ?? false }, () => {
  let outDir = '';
  let server: Server;
  let baseUrl = '';
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let photo: Rgba8Image;
  let expected: { layers: string[]; composite: Rgba8Image; checks: { label: string; verdict: string }[]; withHeat: Rgba8Image; heatIdx: number[] };
  let metalIdx: number[];
  let backdropIdx: number[];
  let modelResult: ModelMaskResult;
  /** The jewelry mask the harness finds by itself. */
  let jewelry: Mask;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    outDir = mkdtempSync(join(tmpdir(), 'loupe-harness-'));
    await buildHarness(outDir);
    server = await serveDirectory(outDir, 0);
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchChromium();

    // What Loupe's mask model sees in the sample in Node (the same file and ORT .wasm the page is served,
    // on WASM as the page without a GPU runs it), and what the engine makes of the sample with that
    // automatic mask, as the harness finds it (the model first; the backdrop finder if it found nothing).
    const { data, info } = await sharp(SAMPLE).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    photo = createRgba8(info.width, info.height, new Uint8Array(data));
    const { network } = await loadMaskNetwork();
    try {
      modelResult = await segmentWithModel(photo, network);
    } finally {
      await network.release();
    }
    jewelry = modelResult.found ? modelResult.mask : segmentOnPlainBackdrop(photo).mask;
    const plan = planRetouchMetal(photo, { jewelryMask: jewelry, metal: 'auto', includeStones: false });
    const composite = renderRecipe(photo, plan.recipe);
    const measures = measureFidelity(photo, composite, { jewelryMask: jewelry });
    const verdict = judgeFidelity(measures, 'editorial');
    const heat = fidelityOverlay(measures, verdict).heatmap('structure');
    expected = {
      layers: plan.recipe.layers.map((l) => l.name), composite, checks: verdict.checks.map((c) => ({ label: c.label, verdict: c.verdict })),
      withHeat: over(composite, heat), heatIdx: Array.from({ length: heat.width * heat.height }, (_, i) => i).filter((i) => heat.data[i * 4 + 3] > 0 && i % 7 === 0),
    };

    // Probe pixels: inside the metal, and backdrop away from the piece (the exact mask of the sample and the
    // automatic one the harness uses, which also takes in a little of the contact shadow).
    const mask = new Uint8Array(await sharp(SAMPLE_MASK).greyscale().raw().toBuffer());
    const { width, height } = info;
    const exactNear = dilate(mask, width, height, 12);
    const autoNear = dilate(jewelry.data, width, height, 2);
    const near = exactNear.map((v, i) => v | autoNear[i]);
    metalIdx = [];
    backdropIdx = [];
    for (let i = 0; i < mask.length; i += 29) {
      if (plan.metalMask.data[i] === 255) metalIdx.push(i);
      else if (!near[i]) backdropIdx.push(i);
    }
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function openHarness(): Promise<Page> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(baseUrl);
    await page.getByTestId('loupe-panel').waitFor();
    assert.deepEqual(errors, []);
    return page;
  }

  test('Retouch metal on the bundled sample: the layer stack, the metal changed, the backdrop did not', async () => {
    const page = await openHarness();
    await page.getByTestId('open-photo').setInputFiles(SAMPLE);
    await page.getByTestId('document-status').getByText('ring-yellow-gold-warm-cast.png · 1600×1200').waitFor();
    const before = await previewAt(page, [...metalIdx, ...backdropIdx]);
    assert.deepEqual(before, pick(photo, [...metalIdx, ...backdropIdx]), 'the preview shows the photo exactly as the file holds it');
    await page.screenshot({ path: join(ARTIFACTS, '1-opened.png') });

    await page.getByTestId('run-retouch-metal').click();
    await page.getByTestId('outcome').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(ARTIFACTS, '2-retouched.png') });

    assert.equal(await page.getByTestId('outcome').locator('div').first().textContent(), 'Detected 18K yellow gold');
    await page.getByTestId('outcome').getByText(modelResult.found ? /^Jewelry mask: Loupe's mask model \(jewelry-mask\.onnx / : 'Jewelry mask: found automatically on the plain backdrop').waitFor();
    const rows = await page.getByTestId('layers').getByTestId('layer-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    assert.deepEqual(rows, ['Loupe · Retouch metal', ...[...expected.layers].reverse(), 'Background']);
    assert.deepEqual(await page.getByTestId('written-layer').allTextContents(), [...expected.layers].reverse().map((n) => `· ${n}`));
    assert.equal(await page.getByTestId('mask-thumbnail').count(), expected.layers.length, 'every layer shows its mask');

    const afterMetal = await previewAt(page, metalIdx);
    const afterBackdrop = await previewAt(page, backdropIdx);
    assert.deepEqual(afterBackdrop, pick(photo, backdropIdx), 'not one backdrop pixel changed');
    assert.deepEqual(afterMetal, pick(expected.composite, metalIdx), 'the preview is the engine render, pixel for pixel');
    const shift = meanAbsDifference(afterMetal, pick(photo, metalIdx));
    assert.ok(shift > 3, `the metal changed (mean |Δ| ${shift.toFixed(2)} levels)`);

    // The eye toggles: with every Loupe layer hidden the preview is the photo again.
    const eyes = page.getByTestId('layer-visible');
    for (let i = 0; i < (await eyes.count()); i++) await eyes.nth(i).uncheck();
    assert.deepEqual(await previewAt(page, metalIdx), pick(photo, metalIdx));
    await page.screenshot({ path: join(ARTIFACTS, '3-layers-hidden.png') });
    for (let i = 0; i < (await eyes.count()); i++) await eyes.nth(i).check();
    assert.deepEqual(await previewAt(page, metalIdx), afterMetal);

    // The layered PSD downloads and holds the same stack.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-psd').click()]);
    assert.equal(download.suggestedFilename(), 'ring-yellow-gold-warm-cast.loupe.psd');
    const psd = readPsd(readFileSync(await download.path()), { skipLayerImageData: true, skipCompositeImageData: true, skipThumbnail: true });
    assert.deepEqual(psd.children?.map((c) => c.name), ['Background', 'Loupe · Retouch metal']);
    assert.deepEqual(psd.children?.[1].children?.map((c) => c.name), expected.layers);

    // Fidelity check on the result, judged for editorial use: the same checks and verdicts as the engine in Node.
    await page.getByTestId('tier-picker').selectOption('editorial');
    await page.getByTestId('run-fidelity-check').click();
    await page.getByTestId('check-item').first().waitFor({ timeout: 60_000 });
    const items = await page.getByTestId('check-item').evaluateAll((els) => els.map((e) => ({ verdict: e.getAttribute('data-verdict'), text: e.textContent })));
    assert.equal(items.length, expected.checks.length);
    for (const check of expected.checks) {
      assert.ok(items.some((i) => i.verdict === check.verdict && i.text?.includes(check.label)), `${check.label}: ${check.verdict}`);
    }
    assert.match(await page.getByTestId('outcome').textContent() ?? '', /Nothing was written to the document/);
    assert.equal(await page.getByTestId('layer-group').count(), 1, 'the check wrote nothing');
    await page.screenshot({ path: join(ARTIFACTS, '2b-fidelity.png') });

    // Show changes on the image: the structure heatmap drawn over the preview, as the engine draws it; off again.
    assert.ok(expected.heatIdx.length > 0, 'the retouch leaves some structure heat to see');
    await page.getByTestId('show-changes').click();
    await page.getByTestId('overlay-note').waitFor();
    await page.getByTestId('changes-legend').waitFor();
    assert.deepEqual(await previewAt(page, expected.heatIdx), pick(expected.withHeat, expected.heatIdx), 'the heat, pixel for pixel');
    assert.deepEqual(await previewAt(page, backdropIdx), pick(photo, backdropIdx), 'no heat off the piece');
    assert.equal(await page.getByTestId('layer-group').count(), 1, 'drawn over the preview, not written as a layer');
    await page.screenshot({ path: join(ARTIFACTS, '2c-fidelity-changes.png') });
    await page.getByTestId('show-changes').click();
    await page.getByTestId('overlay-note').waitFor({ state: 'detached' });
    assert.deepEqual(await previewAt(page, expected.heatIdx), pick(expected.composite, expected.heatIdx), 'off again: the document as it is');
    await page.close();
  });

  test("Mask jewelry on the bundled sample: the model's channels appear, the jewelry is selected, no metal family claimed", async () => {
    const page = await openHarness();
    await page.getByTestId('open-sample').click();
    await page.getByTestId('document-status').getByText('ring-yellow-gold-warm-cast.png · 1600×1200').waitFor();
    await page.getByTestId('run-mask-jewelry').click();
    const outcome = page.getByTestId('outcome');
    const error = page.getByTestId('error');
    await outcome.or(error).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(ARTIFACTS, '6-mask-jewelry.png') });
    if (!modelResult.found) {
      // The same model in Node found nothing: the page must say so and write nothing.
      assert.match(await error.textContent() ?? '', /^Loupe's model found no jewelry in this photo, so nothing was written/);
      assert.equal(await page.getByTestId('channel-row').count(), 0);
      return;
    }
    const hasStones = modelResult.stones.data.some((v) => v >= 128);
    const channels = ['Jewelry', ...(hasStones ? [STONES_CHANNEL] : [])];
    const headline = await outcome.locator('div').first().textContent();
    assert.equal(headline, 'Jewelry masked', 'the family head is not trusted (it says white metal for this yellow gold)');
    assert.deepEqual(await page.getByTestId('channel-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-name'))), channels);
    assert.equal(await page.getByTestId('active-selection').textContent(), 'Selection: Jewelry');
    assert.deepEqual(await page.getByTestId('saved-selection').allTextContents(), channels.map((c) => `Saved selection “${c}” (Select › Load Selection)`));
    assert.equal(await page.getByTestId('written-layer').count(), 0, 'no layer written');
    assert.deepEqual(await previewAt(page, metalIdx), pick(photo, metalIdx), 'the picture is unchanged');
    await page.close();
  });

  test('Contact shadow, then Sharpen: each group stacks above the photo, named layers, its headline', async () => {
    const page = await openHarness();
    await page.getByTestId('open-sample').click();
    await page.getByTestId('document-status').getByText('1600×1200').waitFor();
    await page.getByTestId('run-contact-shadow').click();
    await page.getByTestId('outcome').getByText('Contact shadow added').waitFor({ timeout: 60_000 });
    await page.getByTestId('run-sharpen').click();
    await page.getByTestId('outcome').getByText(/^Sharpened the piece: High Pass \d\.\d px$/).waitFor({ timeout: 60_000 });
    const rows = await page.getByTestId('layers').getByTestId('layer-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    assert.equal(rows.length, 6);
    assert.deepEqual([rows[0], ...rows.slice(2)], ['Loupe · Sharpen', 'Loupe · Contact shadow', 'Contact shadow · line', 'Contact shadow · cast', 'Background']);
    assert.match(rows[1] ?? '', /^Sharpen · high pass \d\.\d px$/);
    await page.screenshot({ path: join(ARTIFACTS, '7-shadow-sharpen.png') });
    await page.close();
  });

  test('Context background with the studio backdrop: its group above the photo, white behind, the piece the photo itself', async () => {
    const page = await openHarness();
    await page.getByTestId('open-sample').click();
    await page.getByTestId('document-status').getByText('1600×1200').waitFor();
    await page.getByTestId('background-provider').selectOption('studio');
    await page.getByTestId('studio-picker').selectOption('marketplace-white');
    await page.getByTestId('run-context-background').click();
    await page.getByTestId('outcome').getByText('Context background: studio backdrop (marketplace-white)').waitFor({ timeout: 60_000 });
    const rows = await page.getByTestId('layers').getByTestId('layer-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
    assert.deepEqual(rows, ['Loupe · Context background', 'Piece · original pixels', 'Context background', 'Background']);
    assert.deepEqual(await previewAt(page, backdropIdx), backdropIdx.flatMap(() => [255, 255, 255]), 'marketplace white behind the piece');
    // Where the harness's automatic mask is fully on, the result is the photo, pixel for pixel.
    const core = metalIdx.filter((i) => jewelry.data[i] === 255);
    assert.ok(core.length > 100);
    assert.deepEqual(await previewAt(page, core), pick(photo, core));
    await page.screenshot({ path: join(ARTIFACTS, '8-context-background.png') });
    await page.close();
  });

  test('ComfyUI workflow: Load workflow… takes an API-format file, refuses the editor format in one line, and goes back to the default', async () => {
    const page = await openHarness();
    await page.getByTestId('background-provider').selectOption('comfyui');
    const shown = page.getByTestId('comfyui-workflow');
    assert.equal(await shown.textContent(), "Workflow: Loupe's default (SDXL inpainting)");
    const pick = async (name: string, json: unknown) => {
      const chooser = page.waitForEvent('filechooser');
      await page.getByTestId('load-workflow').click();
      await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
    };
    await pick('editor.json', { nodes: [], links: [], version: 0.4 });
    await page.getByTestId('workflow-problem').getByText('"editor.json" is a ComfyUI workflow in its editor format: use Workflow › Export (API) instead and load that file.').waitFor();
    assert.equal(await shown.textContent(), "Workflow: Loupe's default (SDXL inpainting)", 'a refused file is not kept');
    await pick('studio.api.json', DEFAULT_COMFYUI_WORKFLOW);
    await shown.getByText('Workflow: studio.api.json').waitFor();
    assert.equal(await page.getByTestId('workflow-problem').count(), 0);
    await page.getByTestId('default-workflow').click();
    assert.equal(await shown.textContent(), "Workflow: Loupe's default (SDXL inpainting)");
    await page.close();
  });

  test('"Open the sample" opens the bundled sample from the dev server', async () => {
    const page = await openHarness();
    await page.getByTestId('open-sample').click();
    await page.getByTestId('document-status').getByText('ring-yellow-gold-warm-cast.png · 1600×1200').waitFor();
    assert.deepEqual(await previewAt(page, metalIdx), pick(photo, metalIdx));
    await page.close();
  });

  test('a file that is not an image: the error is shown and the document stays as it was', async () => {
    const page = await openHarness();
    await page.getByTestId('open-photo').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('this is not a PNG') });
    const alert = page.getByTestId('document-error');
    await alert.waitFor();
    assert.equal(await alert.textContent(), '"broken.png" could not be read as an image: open a PNG, JPEG or WebP photo.');
    assert.equal(await page.getByTestId('document-status').textContent(), 'No photo open');
    await page.screenshot({ path: join(ARTIFACTS, '4-bad-file.png') });
    await page.close();
  });

  test('running without a photo, or with a mask of another size: plain errors, nothing written', async () => {
    const page = await openHarness();
    await page.getByTestId('run-retouch-metal').click();
    assert.match(await page.getByTestId('error').textContent() ?? '', /^Open a photo first/);

    await page.getByTestId('open-photo').setInputFiles(SAMPLE);
    await page.getByTestId('document-status').getByText('1600×1200').waitFor();
    const small = await sharp(SAMPLE_MASK).resize(800, 600).png().toBuffer();
    await page.getByTestId('open-mask').setInputFiles({ name: 'small.mask.png', mimeType: 'image/png', buffer: small });
    assert.equal(
      await page.getByTestId('document-error').textContent(),
      'The mask "small.mask.png" is 800×600 but the photo is 1600×1200: open the mask made for this photo.',
    );
    assert.equal(await page.getByTestId('layer-group').count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, '5-mask-size.png') });
    await page.close();
  });

  test('Cancel while it works: nothing is written and the panel says so', async () => {
    const page = await openHarness();
    await page.getByTestId('open-photo').setInputFiles(SAMPLE);
    await page.getByTestId('document-status').getByText('1600×1200').waitFor();
    // The retoucher clicks Cancel once the engine is measuring the metal. Playwright's own click cannot be
    // timed there (its checks need the page idle, and the engine keeps it busy between steps), so a
    // watcher in the page clicks the button the moment that step shows; the panel hears it at the next step.
    await page.evaluate(() => {
      const watcher = new MutationObserver(() => {
        const running = document.querySelector('[data-testid=running]');
        if (running?.textContent?.includes('Measuring the metal')) {
          watcher.disconnect();
          (document.querySelector('[data-testid=cancel]') as HTMLButtonElement).click();
        }
      });
      watcher.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByTestId('run-retouch-metal').click();
    await page.getByTestId('note').getByText('Cancelled: nothing was changed.').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('layer-group').count(), 0);
    assert.equal(await page.getByTestId('outcome').count(), 0);
    await page.close();
  });

  test('with the mask file opened, Retouch metal uses it', async () => {
    const page = await openHarness();
    await page.getByTestId('open-photo').setInputFiles(SAMPLE);
    await page.getByTestId('document-status').getByText('1600×1200').waitFor();
    await page.getByTestId('open-mask').setInputFiles(SAMPLE_MASK);
    await page.getByTestId('document-status').getByText('mask ring-yellow-gold-warm-cast.mask.png').waitFor();
    await page.getByTestId('metal-picker').selectOption('yellow-gold');
    await page.getByTestId('run-retouch-metal').click();
    const outcome = page.getByTestId('outcome');
    await outcome.waitFor({ timeout: 60_000 });
    assert.equal(await outcome.locator('div').first().textContent(), '18K yellow gold, as you chose');
    await outcome.getByText('Jewelry mask: the mask file "ring-yellow-gold-warm-cast.mask.png"').waitFor();
    await page.close();
  });

  test('with a rough mask file opened, Mask jewelry looks only inside it and says so', async () => {
    // A marquee over the frame's left 700 px: the ring (x 454–1096) is cut by it, the model's mask must stop there.
    const dir = mkdtempSync(join(tmpdir(), 'loupe-rough-'));
    try {
      const rough = join(dir, 'rough.png');
      await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#000000' } })
        .composite([{ input: { create: { width: 700, height: 1200, channels: 3, background: '#ffffff' } }, left: 0, top: 0 }])
        .png().toFile(rough);
      const page = await openHarness();
      await page.getByTestId('open-photo').setInputFiles(SAMPLE);
      await page.getByTestId('document-status').getByText('1600×1200').waitFor();
      await page.getByTestId('open-mask').setInputFiles(rough);
      await page.getByTestId('document-status').getByText('mask rough.png').waitFor();
      await page.getByTestId('run-mask-jewelry').click();
      const outcome = page.getByTestId('outcome');
      await outcome.waitFor({ timeout: 60_000 });
      assert.equal(await outcome.locator('div').first().textContent(), 'Jewelry masked inside the selection');
      await outcome.getByText('Looked only inside the mask file "rough.png", and 1 % round it').waitFor();
      await outcome.getByText(/reaches the edge of the selection/i).waitFor();
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});


/** RGB of the preview canvas at pixel indices, read in the page. */
async function previewAt(page: Page, indices: number[]): Promise<number[]> {
  return page.getByTestId('preview').evaluate((canvas, idx) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    return idx.flatMap((i) => [data[i * 4], data[i * 4 + 1], data[i * 4 + 2]]);
  }, indices);
}

function pick(image: Rgba8Image, indices: number[]): number[] {
  return indices.flatMap((i) => [image.data[i * 4], image.data[i * 4 + 1], image.data[i * 4 + 2]]);
}

function meanAbsDifference(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** Pixels within `radius` (square) of any mask pixel above 0. */
function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    let last = -Infinity;
    for (let x = 0; x < width; x++) if (mask[y * width + x] > 0) last = x; else if (x - last <= radius) rows[y * width + x] = 1;
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) if (mask[y * width + x] > 0) { last = x; rows[y * width + x] = 1; } else if (last - x <= radius) rows[y * width + x] = 1;
  }
  const out = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) if (rows[y * width + x]) { last = y; out[y * width + x] = 1; } else if (y - last <= radius) out[y * width + x] = 1;
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) if (rows[y * width + x]) last = y; else if (last - y <= radius) out[y * width + x] = 1;
  }
  return out;
}
