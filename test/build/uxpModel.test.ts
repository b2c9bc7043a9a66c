/**
 * The mask model in the UXP bundle: the panel's webpack config puts the model, its description and the one
 * ORT .wasm into the build, and onnxruntime-web bundled by that config loads and runs from bytes read with
 * UXP's fs.readFile("plugin:/…") — in a bare V8 context with no fetch, no Worker, no location and no
 * dynamic import, as in UXP. Its output equals the same model run in Node through the CLI's loader.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import webpack from 'webpack';
import { loadMaskNetwork } from '../../src/hosts/psd/loadMaskModel.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let outDir = '';

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'loupe-uxp-model-'));
  const { default: makeConfig } = (await import(pathToFileURL(join(root, 'webpack.config.js')).href)) as {
    default: (env: Record<string, unknown>, argv: { mode: string }) => webpack.Configuration;
  };
  const config = makeConfig({}, { mode: 'production' });
  config.entry = './test/build/uxpModelProbe.ts';
  config.output = { ...config.output, path: outDir };
  const stats = await new Promise<webpack.Stats>((resolve, reject) => {
    webpack(config, (err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s)));
  });
  assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
});

after(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** A bare context as UXP gives: V8 builtins (WebAssembly included), timers, URL and TextDecoder, and require('fs'). */
function uxpLikeContext(readPluginFile: (path: string) => Promise<ArrayBuffer>) {
  const read: string[] = [];
  const fs = {
    async readFile(path: string) {
      read.push(path);
      if (!path.startsWith('plugin:/')) throw new Error(`only plugin:/ paths are expected, not ${path}`);
      return readPluginFile(path.slice('plugin:/'.length));
    },
  };
  const context: Record<string, unknown> = {
    console, setTimeout, clearTimeout, URL, TextDecoder, TextEncoder,
    require: (name: string) => {
      if (name === 'fs') return fs;
      throw new Error(`unexpected require(${name})`);
    },
  };
  context.globalThis = context;
  context.self = context;
  return { context, read };
}

function fromDist(path: string): Promise<ArrayBuffer> {
  const bytes = readFileSync(join(outDir, path));
  return Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

async function runProbe(readPluginFile: (path: string) => Promise<ArrayBuffer>) {
  const { context, read } = uxpLikeContext(readPluginFile);
  vm.runInNewContext(readFileSync(join(outDir, 'index.js'), 'utf8'), context, { filename: 'index.js' });
  const probe = context.loupeProbe as () => Promise<{ label: string; logits: number[]; family: number[] }>;
  return { result: await probe(), read };
}

test('the build holds the model, its description and only the plain ORT .wasm, at the paths the panel reads', () => {
  assert.deepEqual(readFileSync(join(outDir, 'models', 'jewelry-mask.onnx')), readFileSync(join(root, 'models', 'jewelry-mask.onnx')));
  assert.deepEqual(readFileSync(join(outDir, 'models', 'jewelry-mask.json')), readFileSync(join(root, 'models', 'jewelry-mask.json')));
  const wasm = statSync(join(outDir, 'ort', 'ort-wasm-simd-threaded.wasm')).size;
  assert.ok(wasm > 5e6 && wasm < 20e6, `ort .wasm is ${wasm} bytes`);
});

test('bundled onnxruntime-web runs the model from plugin:/ bytes without fetch, workers or dynamic import, as in Node', async () => {
  const { result, read } = await runProbe(fromDist);
  assert.deepEqual(read.sort(), ['plugin:/models/jewelry-mask.json', 'plugin:/models/jewelry-mask.onnx', 'plugin:/ort/ort-wasm-simd-threaded.wasm']);
  assert.match(result.label, /^jewelry-mask\.onnx /);
  assert.equal(result.logits.length, 2 * 64 * 64);
  assert.equal(result.family.length, 3);

  const { network } = await loadMaskNetwork();
  try {
    const planes = new Float32Array(3 * 64 * 64).map((_, i) => ((i * 37) % 256) / 255);
    const node = await network.run(planes, 64, 64);
    const worst = result.logits.reduce((m, v, i) => Math.max(m, Math.abs(v - node.logits[i])), 0);
    assert.ok(worst < 1e-4, `the bundle and Node agree (largest logit difference ${worst})`);
  } finally {
    await network.release();
  }
});

test('a damaged model in the plugin folder is refused before the runtime starts, saying what to do', async () => {
  const damaged = async (path: string) => {
    const bytes = new Uint8Array(await fromDist(path));
    if (path.endsWith('.onnx')) bytes[bytes.length >> 1] ^= 0xff;
    return bytes.buffer;
  };
  await assert.rejects(runProbe(damaged), { message: /^Loupe's mask model \(models\/jewelry-mask\.onnx\) is damaged \(sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\): reinstall Loupe\.$/ });
  const missing = (path: string) => (path.endsWith('.wasm') ? Promise.reject(new Error('no such file')) : fromDist(path));
  await assert.rejects(runProbe(missing), { message: "Loupe's inference runtime (ort/ort-wasm-simd-threaded.wasm) is missing: reinstall Loupe." });
});
