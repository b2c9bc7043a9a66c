/**
 * The ComfyUI provider against a local server speaking its routes: POST /upload/image (multipart `image`),
 * POST /prompt ({ prompt, client_id } → { prompt_id, number, node_errors }), GET /history/{id} ({} until
 * done), GET /view?filename&subfolder&type, POST /interrupt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comfyUiGenerator } from '../../../src/hosts/generators/comfyuiGenerator';
import { sharpCodec } from '../../../src/hosts/generators/pngCodec';
import { DEFAULT_COMFYUI_WORKFLOW, fillWorkflow } from '../../../src/hosts/generators/comfyuiWorkflow';
import { comfy } from './fakeComfyUi';
import { pieceDeviationAfter, ringPhoto } from './testPhoto';

const fast = { timeoutMs: 2000, retries: 2, backoffMs: 20 };

for (const how of ['none', 'wrong-size', 'alter-piece'] as const) {
  test(`success (${how}): uploads, queues the filled workflow, polls, fetches; piece exact after compositing`, async () => {
    const { server, uploads, queued } = await comfy({ how, pendingPolls: 2 });
    try {
      const { image, mask } = ringPhoto();
      const generated = await comfyUiGenerator({ url: server.url, codec: sharpCodec, pollIntervalMs: 10, retry: fast }).generate({ image, mask, prompt: 'dark velvet' });
      assert.equal(uploads.size, 2);
      const wf = queued() as typeof DEFAULT_COMFYUI_WORKFLOW;
      assert.equal(wf['6'].inputs.text, 'dark velvet');
      assert.ok(uploads.has(wf['11'].inputs.image as string) && uploads.has(wf['12'].inputs.image as string));
      assert.deepEqual(server.requests.map((r) => r.path.split('?')[0]), ['/upload/image', '/upload/image', '/prompt', '/history/p-1', '/history/p-1', '/history/p-1', '/view']);
      assert.ok(pieceDeviationAfter(image, mask, generated) <= 1);
    } finally { await server.close(); }
  });
}

test('/prompt 500 then success is retried; 400 (validation) is not', async () => {
  let c = await comfy({ promptStatus: (n) => (n === 1 ? 500 : 200) });
  try {
    const { image, mask } = ringPhoto();
    const generated = await comfyUiGenerator({ url: c.server.url, codec: sharpCodec, pollIntervalMs: 10, retry: fast }).generate({ image, mask, prompt: 'x' });
    assert.ok(pieceDeviationAfter(image, mask, generated) <= 1);
  } finally { await c.server.close(); }
  c = await comfy({ promptStatus: () => 400 });
  try {
    const { image, mask } = ringPhoto();
    await assert.rejects(comfyUiGenerator({ url: c.server.url, codec: sharpCodec, pollIntervalMs: 10, retry: fast }).generate({ image, mask, prompt: 'x' }), /HTTP 400: Prompt outputs failed validation/);
    assert.equal(c.server.requests.filter((r) => r.path === '/prompt').length, 1);
  } finally { await c.server.close(); }
});

test('workflow error, garbage image, never finishing (job timeout), cancel sends /interrupt', async () => {
  const { image, mask } = ringPhoto();
  let c = await comfy({ runError: true });
  try {
    await assert.rejects(comfyUiGenerator({ url: c.server.url, codec: sharpCodec, pollIntervalMs: 10, retry: fast }).generate({ image, mask, prompt: 'x' }), /failed while running the workflow/);
  } finally { await c.server.close(); }
  c = await comfy({ view: () => Buffer.from('GIF89a but not really') });
  try {
    await assert.rejects(comfyUiGenerator({ url: c.server.url, codec: sharpCodec, pollIntervalMs: 10, retry: fast }).generate({ image, mask, prompt: 'x' }), /not an image/);
  } finally { await c.server.close(); }
  c = await comfy({ neverFinish: true });
  try {
    await assert.rejects(comfyUiGenerator({ url: c.server.url, codec: sharpCodec, pollIntervalMs: 10, jobTimeoutMs: 200, retry: fast }).generate({ image, mask, prompt: 'x' }), /did not finish within/);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await assert.rejects(comfyUiGenerator({ url: c.server.url, codec: sharpCodec, pollIntervalMs: 20, retry: fast }).generate({ image, mask, prompt: 'x', signal: controller.signal }), /cancelled/);
    assert.ok(c.server.requests.some((r) => r.path === '/interrupt'));
  } finally { await c.server.close(); }
});

test('workflow placeholders: substituted anywhere in strings; a workflow without {{image}} is refused', () => {
  const filled = fillWorkflow({ a: { class_type: 'CLIPTextEncode', inputs: { text: 'photo of {{prompt}}, 8k' } }, b: { class_type: 'LoadImage', inputs: { image: '{{image}}' } } }, { image: 'i.png', mask: 'm.png', prompt: 'linen' });
  assert.equal(filled.a.inputs.text, 'photo of linen, 8k');
  assert.equal(filled.b.inputs.image, 'i.png');
  assert.throws(() => fillWorkflow({ a: { class_type: 'X', inputs: {} } }, { image: 'i', mask: 'm', prompt: 'p' }), /no "\{\{image\}\}"/);
  assert.throws(() => fillWorkflow([1, 2], { image: 'i', mask: 'm', prompt: 'p' }), /API format/);
});
