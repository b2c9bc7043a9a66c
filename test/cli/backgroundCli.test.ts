/**
 * `loupe background` end to end: a layered PSD read back with psd-tools (the scene under the piece's own
 * pixels), the piece exact in the preview, the input untouched; an OpenAI-compatible local server whose
 * API key never reaches stdout, stderr, the PSD or the PNG; refusals with nothing written.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { readImageFile, readMaskFile } from '../../src/hosts/psd/readImageFile';
import { toRgba8 } from '../../src/engine/image';
import { pieceCoreDeviation } from '../../src/engine/background/contextBackground';
import { listen } from '../hosts/generators/fakeServers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const loupe = join(root, 'bin', 'loupe.js');
const sample = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
const sampleMask = join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png');
const KEY = 'sk-loupe-test-SECRET-91c2e';
let dir = '';

before(() => { dir = mkdtempSync(join(tmpdir(), 'loupe-background-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** Async, so in-process fake servers keep answering while the CLI runs. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [loupe, ...args], { cwd: dir, env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/* eslint-disable @typescript-eslint/no-explicit-any */
const inspect = (path: string): any => JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'test', 'readers', 'inspect_psd.py'), path], { encoding: 'utf8', maxBuffer: 1 << 26 }));

async function assertPieceExact(previewPath: string): Promise<void> {
  const photo = toRgba8(await readImageFile(sample));
  const mask = await readMaskFile(sampleMask, photo.width, photo.height);
  const preview = toRgba8(await readImageFile(previewPath));
  const { maxDiff, corePixels } = pieceCoreDeviation(photo, preview, mask);
  assert.ok(corePixels > 10000);
  assert.ok(maxDiff <= 1, `piece changed by ${maxDiff}`);
}

test('studio sweep + contact shadow: psd-tools reads the group bottom→top; piece exact; input untouched', async () => {
  const input = join(dir, 'ring.png');
  copyFileSync(sample, input);
  const hash = sha(input);
  const res = await run(['background', input, '--mask', sampleMask, '--provider', 'studio', '--studio', 'sweep', '--shadow', '--out', join(dir, 'studio'), '--json']);
  assert.equal(res.status, 0, res.stderr);
  const report = JSON.parse(res.stdout.trim());
  assert.deepEqual(report.layers, ['Context background', 'Contact shadow · cast', 'Contact shadow · line', 'Piece · original pixels']);
  assert.equal(sha(input), hash);
  const doc = inspect(report.psd);
  assert.deepEqual(doc.layers.map((l: any) => l.name), ['Background', 'Loupe · Context background']);
  assert.deepEqual(doc.layers[1].children.map((l: any) => [l.name, l.kind]), [
    ['Context background', 'pixel'], ['Contact shadow · cast', 'pixel'], ['Contact shadow · line', 'pixel'], ['Piece · original pixels', 'pixel'],
  ]);
  assert.deepEqual(doc.alpha_names, ['Jewelry']);
  const psd = await readImageFile(report.psd);
  const preview = await readImageFile(report.preview);
  assert.ok(Buffer.from(psd.data).equals(Buffer.from(preview.data)), 'PSD composite equals the preview');
  await assertPieceExact(report.preview);
});

test('OpenAI-compatible server with a key: scene behind the piece; the key is nowhere in outputs or logs', async () => {
  let auth = '';
  const server = await listen(async (req, res) => {
    auth = String(req.headers.authorization);
    // A careless generator: the whole square repainted, piece included, at another size.
    const scene = await sharp({ create: { width: 512, height: 512, channels: 3, background: '#5a6e8c' } }).png().toBuffer();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ created: 1, data: [{ b64_json: scene.toString('base64') }] }));
  });
  try {
    const res = await run(['background', sample, '--mask', sampleMask, '--provider', 'openai', '--openai-url', `${server.url}/v1`, '--preset', 'velvet', '--out', join(dir, 'openai')], { LOUPE_OPENAI_API_KEY: KEY });
    assert.equal(res.status, 0, res.stderr);
    assert.equal(auth, `Bearer ${KEY}`);
    for (const text of [res.stdout, res.stderr]) assert.ok(!text.includes(KEY));
    for (const f of readdirSync(join(dir, 'openai'))) {
      const bytes = readFileSync(join(dir, 'openai', f));
      assert.ok(!bytes.includes(KEY) && !bytes.includes(Buffer.from(KEY, 'utf16le')), `${f} holds the key`);
    }
    await assertPieceExact(join(dir, 'openai', 'ring-yellow-gold-warm-cast.loupe.png'));
  } finally { await server.close(); }
});

test('refusals and provider failures: one line, non-zero exit, nothing written, no key in the message', async () => {
  const server = await listen((req, res) => {
    if (req.path.startsWith('/bad/')) { res.statusCode = 400; res.end(JSON.stringify({ error: { message: 'Invalid image' } })); return; }
    res.end(JSON.stringify({ data: [{ b64_json: Buffer.from('garbage').toString('base64') }] }));
  });
  const workflow = join(dir, 'broken-workflow.json');
  writeFileSync(workflow, '{ not json');
  try {
    const cases: [string[], RegExp][] = [
      [['background', sample, '--mask', sampleMask], /--provider comfyui, openai or studio/],
      [['background', sample, '--mask', sampleMask, '--provider', 'openai', '--openai-url', `${server.url}/v1`], /--prompt/],
      [['background', sample, '--mask', sampleMask, '--provider', 'studio', '--preset', 'lava'], /no preset 'lava'/],
      [['background', sample, '--mask', sampleMask, '--provider', 'openai', '--prompt', 'x'], /LOUPE_OPENAI_API_KEY/],
      [['background', sample, '--mask', sampleMask, '--provider', 'openai', '--prompt', 'x', '--openai-url', `${server.url}/bad/v1`], /HTTP 400: Invalid image/],
      [['background', sample, '--mask', sampleMask, '--provider', 'openai', '--prompt', 'x', '--openai-url', `${server.url}/v1`], /not an image/],
      [['background', sample, '--mask', sampleMask, '--provider', 'comfyui', '--prompt', 'x', '--workflow', workflow], /Export \(API\)/],
    ];
    for (const [args, message] of cases) {
      const outDir = join(dir, 'bad-out');
      const env = args.includes(`${server.url}/v1`) || args.includes(`${server.url}/bad/v1`) ? { LOUPE_OPENAI_API_KEY: KEY } : { LOUPE_OPENAI_API_KEY: '' };
      const res = await run([...args, '--out', outDir], env);
      assert.notEqual(res.status, 0, `${args.join(' ')} should fail`);
      assert.match(res.stderr, message);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
      assert.ok(!res.stderr.includes(KEY));
      let written: string[] = [];
      try { written = readdirSync(outDir); } catch { /* never created */ }
      assert.deepEqual(written, [], `files written for ${args.join(' ')}`);
    }
  } finally { await server.close(); }
});

test('--progress: queued, generating, fetching, compositing on stderr, in order; without it (stderr piped) silent', async () => {
  const server = await comfyLike(() => true);
  try {
    const args = ['background', sample, '--mask', sampleMask, '--provider', 'comfyui', '--preset', 'marble', '--comfyui-url', server.url];
    const loud = await run([...args, '--out', join(dir, 'progress'), '--progress']);
    assert.equal(loud.status, 0, loud.stderr);
    const stages = loud.stderr.split('\n').filter(Boolean).map((l) => l.match(/^loupe background: ring-yellow-gold-warm-cast\.png: (\w+)(?: \(.*\))? · \d+\.\d s$/)?.[1]);
    assert.deepEqual(stages, ['queued', 'generating', 'fetching', 'compositing'], loud.stderr);
    const quiet = await run([...args, '--out', join(dir, 'quiet')]);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
  } finally {
    await server.close();
  }
});

test('Ctrl-C while ComfyUI generates: the request is interrupted, exit 130, one line, nothing written', async () => {
  let generating = false;
  const server = await comfyLike(() => { generating = true; return false; });
  try {
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [loupe, 'background', sample, sample, '--mask', sampleMask, '--provider', 'comfyui', '--prompt', 'linen', '--comfyui-url', server.url, '--out', out, '--progress'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const status = new Promise<number | null>((resolve) => child.on('close', resolve));
    while (!generating || !stderr.includes(': generating')) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    assert.equal(await status, 130, stderr);
    assert.match(stderr.trim().split('\n').at(-1) ?? '', /^loupe background: cancelled: nothing was written for .*ring-yellow-gold-warm-cast\.png, .*ring-yellow-gold-warm-cast\.png$/);
    assert.ok(server.requests.some((r) => r.path === '/interrupt'), 'ComfyUI was told to stop');
    assert.deepEqual(readdirSync(dir).filter((f) => f === 'interrupted'), [], 'not even the folder');
  } finally {
    await server.close();
  }
});

/** A ComfyUI that queues, answers /history as running until `done()` says finished, then serves a flat scene. */
async function comfyLike(done: () => boolean) {
  const scene = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 190, b: 180 } } }).png().toBuffer();
  return listen((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.path === '/upload/image') return void res.end(JSON.stringify({ name: `u${Math.random()}.png`, subfolder: '' }));
    if (req.path === '/prompt') return void res.end(JSON.stringify({ prompt_id: 'p1', number: 1, node_errors: {} }));
    if (req.path.startsWith('/history/')) {
      return void res.end(JSON.stringify(done() ? { p1: { outputs: { 9: { images: [{ filename: 'x.png', subfolder: '', type: 'output' }] } }, status: { status_str: 'success', completed: true } } } : {}));
    }
    if (req.path.startsWith('/view')) { res.setHeader('content-type', 'image/png'); return void res.end(scene); }
    if (req.path === '/interrupt') return void res.end('{}');
    res.statusCode = 404;
    res.end('{}');
  });
}
