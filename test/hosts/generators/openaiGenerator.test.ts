/**
 * The OpenAI-compatible provider against a local server speaking POST /v1/images/edits (multipart image,
 * mask, prompt, model, size; answer { created, data: [{ b64_json }] }): success, wrong size, altered piece,
 * retry on 500 and 429, no retry on 400, timeout, cancel, garbage, a decompression bomb, no key in errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openAiGenerator } from '../../../src/hosts/generators/openaiGenerator';
import { sharpCodec } from '../../../src/hosts/generators/pngCodec';
import { GeneratorError } from '../../../src/hosts/generators/generator';
import { fakeGenerate, hugePngHeader, listen, parseForm, type Misbehaviour } from './fakeServers';
import { pieceDeviationAfter, ringPhoto } from './testPhoto';
import sharp from 'sharp';

const KEY = 'sk-test-NEVER-LOG-THIS-7f3a';
const fast = { timeoutMs: 2000, retries: 2, backoffMs: 20 };

async function editAnswer(form: FormData, how: Misbehaviour): Promise<string> {
  const image = new Uint8Array(await (form.get('image') as Blob).arrayBuffer());
  const maskPng = new Uint8Array(await (form.get('mask') as Blob).arrayBuffer());
  const mask = await sharp(maskPng).ensureAlpha().raw().toBuffer();
  const out = await fakeGenerate(image, (i) => mask[4 * i + 3] === 0, how);
  return JSON.stringify({ created: 1, data: [{ b64_json: out.toString('base64') }] });
}

for (const how of ['none', 'wrong-size', 'alter-piece'] as const) {
  test(`success (${how}): request shaped as the API wants; piece exact after compositing`, async () => {
    const server = await listen(async (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(await editAnswer(await parseForm(req), how));
    });
    try {
      const { image, mask } = ringPhoto();
      const progress: number[] = [];
      const generated = await openAiGenerator({ baseUrl: `${server.url}/v1`, codec: sharpCodec, apiKey: KEY, retry: fast })
        .generate({ image, mask, prompt: 'white marble', onProgress: (f) => progress.push(f) });
      const req = server.requests[0];
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/v1/images/edits');
      assert.equal(req.headers.authorization, `Bearer ${KEY}`);
      assert.match(String(req.headers['content-type']), /^multipart\/form-data; boundary=/);
      const form = await parseForm(req);
      assert.equal(form.get('prompt'), 'white marble');
      assert.equal(form.get('size'), '240x240');
      const sent = await sharp(new Uint8Array(await (form.get('image') as Blob).arrayBuffer())).metadata();
      assert.deepEqual([sent.width, sent.height, sent.format], [240, 240, 'png']);
      assert.ok(pieceDeviationAfter(image, mask, generated) <= 1);
      assert.ok(progress.length >= 2);
    } finally { await server.close(); }
  });
}

test('500 then success: retried with backoff; 429 honoured too', async () => {
  const server = await listen(async (req, res, n) => {
    if (n === 1) { res.statusCode = 500; res.end('{"error":{"message":"overloaded"}}'); return; }
    if (n === 2) { res.statusCode = 429; res.setHeader('retry-after', '0'); res.end('{}'); return; }
    res.end(await editAnswer(await parseForm(req), 'none'));
  });
  try {
    const { image, mask } = ringPhoto();
    const generated = await openAiGenerator({ baseUrl: `${server.url}/v1`, codec: sharpCodec, apiKey: KEY, retry: fast }).generate({ image, mask, prompt: 'linen' });
    assert.equal(server.requests.length, 3);
    assert.ok(pieceDeviationAfter(image, mask, generated) <= 1);
  } finally { await server.close(); }
});

test('400 is not retried; the message says why and never holds the key', async () => {
  const server = await listen((_req, res) => { res.statusCode = 400; res.end(JSON.stringify({ error: { message: 'Invalid mask' } })); });
  try {
    const { image, mask } = ringPhoto();
    await assert.rejects(openAiGenerator({ baseUrl: `${server.url}/v1`, codec: sharpCodec, apiKey: KEY, retry: fast }).generate({ image, mask, prompt: 'x' }), (e: Error) => {
      assert.ok(e instanceof GeneratorError);
      assert.match(e.message, /HTTP 400: Invalid mask/);
      assert.ok(!e.message.includes(KEY));
      return true;
    });
    assert.equal(server.requests.length, 1);
  } finally { await server.close(); }
});

test('500 every time: gives up after the retries with a plain sentence', async () => {
  const server = await listen((_req, res) => { res.statusCode = 503; res.end(); });
  try {
    const { image, mask } = ringPhoto();
    await assert.rejects(openAiGenerator({ baseUrl: `${server.url}/v1`, codec: sharpCodec, retry: fast }).generate({ image, mask, prompt: 'x' }), /HTTP 503 after 3 attempts/);
    assert.equal(server.requests.length, 3);
  } finally { await server.close(); }
});

test('slow server: per-attempt timeout; cancel stops at once', async () => {
  const server = await listen(() => { /* never answers */ });
  try {
    const { image, mask } = ringPhoto();
    await assert.rejects(openAiGenerator({ baseUrl: `${server.url}/v1`, codec: sharpCodec, retry: { timeoutMs: 150, retries: 1, backoffMs: 10 } }).generate({ image, mask, prompt: 'x' }), /did not answer within/);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(openAiGenerator({ baseUrl: `${server.url}/v1`, codec: sharpCodec, retry: { timeoutMs: 60_000 } }).generate({ image, mask, prompt: 'x', signal: controller.signal }), /cancelled/);
    assert.ok(Date.now() - started < 5000);
  } finally { await server.close(); }
});

test('malicious answers: garbage bytes, not JSON, no image, a 100 000 px bomb, a 4000 px image', async () => {
  const big = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#808080' } }).png().toBuffer();
  const answers = [
    JSON.stringify({ data: [{ b64_json: Buffer.from('definitely not a png').toString('base64') }] }),
    '<html>gateway</html>',
    JSON.stringify({ data: [] }),
    JSON.stringify({ data: [{ b64_json: hugePngHeader().toString('base64') }] }),
    JSON.stringify({ data: [{ b64_json: big.toString('base64') }] }),
  ];
  // libvips refuses the bomb's header itself; a real but absurdly large image is refused by size.
  const expected = [/not an image/, /not JSON/, /without an image/, /not an image|far larger than/, /4000×4000 image, far larger than the 240×160 photo/];
  for (let k = 0; k < answers.length; k++) {
    const server = await listen((_req, res) => { res.end(answers[k]); });
    try {
      const { image, mask } = ringPhoto();
      await assert.rejects(openAiGenerator({ baseUrl: `${server.url}/v1`, codec: sharpCodec, retry: fast }).generate({ image, mask, prompt: 'x' }), expected[k]);
    } finally { await server.close(); }
  }
});
