/**
 * The ComfyUI provider against a local server speaking its routes: POST /upload/image (multipart `image`),
 * POST /prompt ({ prompt, client_id } → { prompt_id, number, node_errors }), GET /history/{id} ({} until
 * done), GET /view?filename&subfolder&type, POST /interrupt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import { comfyUiGenerator } from '../../../src/hosts/generators/comfyuiGenerator';
import { sharpCodec } from '../../../src/hosts/generators/pngCodec';
import { DEFAULT_COMFYUI_WORKFLOW, fillWorkflow } from '../../../src/hosts/generators/comfyuiWorkflow';
import { fakeGenerate, listen, parseForm, type Misbehaviour, type Recorded } from './fakeServers';
import { pieceDeviationAfter, ringPhoto } from './testPhoto';

const fast = { timeoutMs: 2000, retries: 2, backoffMs: 20 };

interface Behaviour {
  how?: Misbehaviour;
  /** history polls answered {} before the result appears */
  pendingPolls?: number;
  promptStatus?: (n: number) => number;
  view?: () => Buffer;
  runError?: boolean;
  neverFinish?: boolean;
}

async function comfy(b: Behaviour = {}) {
  const uploads = new Map<string, Uint8Array>();
  let queued: Record<string, unknown> | undefined;
  let polls = 0;
  let promptCalls = 0;
  const server = await listen(async (req: Recorded, res: ServerResponse) => {
    const url = new URL(req.path, 'http://x');
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' && url.pathname === '/upload/image') {
      const form = await parseForm(req);
      const file = form.get('image') as File;
      uploads.set(file.name, new Uint8Array(await file.arrayBuffer()));
      return void res.end(JSON.stringify({ name: file.name, subfolder: '', type: 'input' }));
    }
    if (req.method === 'POST' && url.pathname === '/prompt') {
      const status = b.promptStatus?.(++promptCalls) ?? 200;
      if (status !== 200) { res.statusCode = status; return void res.end(JSON.stringify({ error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation' }, node_errors: {} })); }
      queued = JSON.parse(req.body.toString()).prompt;
      return void res.end(JSON.stringify({ prompt_id: 'p-1', number: 0, node_errors: {} }));
    }
    if (req.method === 'GET' && url.pathname === '/history/p-1') {
      if (b.neverFinish || polls++ < (b.pendingPolls ?? 1)) return void res.end('{}');
      if (b.runError) return void res.end(JSON.stringify({ 'p-1': { outputs: {}, status: { status_str: 'error', completed: false } } }));
      return void res.end(JSON.stringify({ 'p-1': { outputs: { '9': { images: [{ filename: 'loupe-context_00001_.png', subfolder: '', type: 'output' }] } }, status: { status_str: 'success', completed: true } } }));
    }
    if (req.method === 'GET' && url.pathname === '/view') {
      assert.equal(url.searchParams.get('filename'), 'loupe-context_00001_.png');
      assert.equal(url.searchParams.get('type'), 'output');
      res.setHeader('content-type', 'image/png');
      if (b.view) return void res.end(b.view());
      const workflow = queued as typeof DEFAULT_COMFYUI_WORKFLOW;
      const image = uploads.get(workflow['11'].inputs.image as string)!;
      const maskPng = uploads.get(workflow['12'].inputs.image as string)!;
      const context = await sharp(maskPng).extractChannel(0).raw().toBuffer();
      return void res.end(await fakeGenerate(image, (i) => context[i] > 127, b.how ?? 'none'));
    }
    if (req.method === 'POST' && url.pathname === '/interrupt') return void res.end('{}');
    res.statusCode = 404; res.end('{}');
  });
  return { server, uploads, queued: () => queued };
}

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
