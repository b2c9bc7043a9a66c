/**
 * Which backend Loupe's mask model runs on: WebGPU only with a route and an adapter, WASM otherwise, and
 * always saying why (fakes for the GPU, the runtimes and the served files; no onnxruntime here).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseMaskNetwork } from '../../src/inference/maskNetworkChoice.ts';
import type { MaskBackend, OnnxMaskNetwork } from '../../src/inference/onnxMaskNetwork.ts';
import { loadPanelMaskModel, MaskModelError, type PanelWebGpuRoute } from '../../src/inference/panelMaskModel.ts';
import { sha256Hex } from '../../src/inference/sha256.ts';
import { probeWebGpu, type GpuScope } from '../../src/inference/webGpuProbe.ts';

function fakeNetwork(backend: MaskBackend): OnnxMaskNetwork {
  return { backend, multiple: 32, run: async () => ({ logits: new Float32Array(0), family: new Float32Array(3) }), release: async () => {} };
}

const gpuWith = (requestAdapter: () => Promise<unknown>): GpuScope => ({ navigator: { gpu: { requestAdapter } } } as GpuScope);

test('the probe finds WebGPU only with an adapter, and names it', async () => {
  assert.deepEqual(await probeWebGpu({}), { available: false, reason: 'this host has no WebGPU (navigator.gpu)' });
  assert.deepEqual(await probeWebGpu({ navigator: {} }), { available: false, reason: 'this host has no WebGPU (navigator.gpu)' });
  assert.deepEqual(await probeWebGpu(gpuWith(async () => null)), { available: false, reason: 'WebGPU gave no adapter' });
  assert.deepEqual(await probeWebGpu(gpuWith(async () => { throw new Error('GPU process crashed'); })), { available: false, reason: 'WebGPU gave no adapter (GPU process crashed)' });
  assert.deepEqual(await probeWebGpu(gpuWith(async () => ({ info: { vendor: 'google', architecture: 'swiftshader', description: '' } }))), { available: true, adapter: 'google swiftshader' });
  assert.deepEqual(await probeWebGpu(gpuWith(async () => ({}))), { available: true, adapter: 'unnamed adapter' });
});

test('WebGPU runs where there is a route and an adapter; WASM is then never started', async () => {
  const started: string[] = [];
  const chosen = await chooseMaskNetwork({
    startWasm: async () => { started.push('wasm'); return fakeNetwork('wasm'); },
    webGpu: { probe: async () => ({ available: true, adapter: 'google swiftshader' }), start: async () => { started.push('webgpu'); return fakeNetwork('webgpu'); } },
  });
  assert.deepEqual([chosen.backend, chosen.network.backend, chosen.description], ['webgpu', 'webgpu', 'WebGPU (google swiftshader)']);
  assert.deepEqual(started, ['webgpu']);
});

test('WASM on one thread otherwise, saying why: no route, no adapter, or WebGPU failing to start', async () => {
  const wasm = async () => fakeNetwork('wasm');
  const noRoute = await chooseMaskNetwork({ startWasm: wasm });
  assert.deepEqual([noRoute.backend, noRoute.description], ['wasm', 'WASM, 1 thread']);

  let started = false;
  const noAdapter = await chooseMaskNetwork({
    startWasm: wasm,
    webGpu: { probe: async () => ({ available: false, reason: 'WebGPU gave no adapter' }), start: async () => { started = true; return fakeNetwork('webgpu'); } },
  });
  assert.deepEqual([noAdapter.backend, noAdapter.description, started], ['wasm', 'WASM, 1 thread (WebGPU gave no adapter)', false]);

  const failing = await chooseMaskNetwork({
    startWasm: wasm,
    webGpu: { probe: async () => ({ available: true, adapter: 'acme gpu' }), start: async () => { throw new Error('no kernel for op Foo\nat …'); } },
  });
  assert.deepEqual([failing.backend, failing.description], ['wasm', 'WASM, 1 thread (WebGPU on acme gpu would not start: no kernel for op Foo)']);
});

test('a WASM failure is not hidden behind the choice', async () => {
  await assert.rejects(chooseMaskNetwork({ startWasm: async () => { throw new Error('no SIMD'); } }), /no SIMD/);
});

/** Served files for the panel loader: a model and its description, and which paths were read. */
function servedFiles(extra: Record<string, Uint8Array> = {}) {
  const model = new Uint8Array([1, 2, 3]);
  const files: Record<string, Uint8Array> = {
    'models/jewelry-mask.json': new TextEncoder().encode(JSON.stringify({ file: 'jewelry-mask.onnx', version: '9.9', sha256: sha256Hex(model) })),
    'models/jewelry-mask.onnx': model,
    ...extra,
  };
  const read: string[] = [];
  return {
    read,
    reader: async (path: string) => {
      read.push(path);
      const bytes = files[path];
      if (!bytes) throw new Error(`404 ${path}`);
      return bytes;
    },
  };
}

test("the panel loader hands WebGPU its own .wasm and never fetches the plain one then; the label names the backend", async () => {
  const { read, reader } = servedFiles({ 'ort/webgpu.wasm': new Uint8Array([9]) });
  const given: { model: number[]; wasm: number[] }[] = [];
  const route: PanelWebGpuRoute = {
    probe: async () => ({ available: true, adapter: 'google swiftshader' }),
    wasmPath: 'ort/webgpu.wasm',
    start: async (options) => { given.push({ model: [...options.model], wasm: [...options.wasm] }); return fakeNetwork('webgpu'); },
  };
  const loaded = await loadPanelMaskModel(reader, { webGpu: route });
  assert.equal(loaded.label, 'jewelry-mask.onnx 9.9 on WebGPU');
  assert.deepEqual(loaded.backend, { backend: 'webgpu', description: 'WebGPU (google swiftshader)' });
  assert.deepEqual(given, [{ model: [1, 2, 3], wasm: [9] }]);
  assert.ok(!read.includes('ort/ort-wasm-simd-threaded.wasm'), read.join(', '));
});

test('the panel loader falls back to WASM when the WebGPU build is not served, and says so', async () => {
  const { reader } = servedFiles(); // neither .wasm served: the WASM start then fails on its own missing file
  const route: PanelWebGpuRoute = { probe: async () => ({ available: true, adapter: 'acme gpu' }), wasmPath: 'ort/webgpu.wasm', start: async () => fakeNetwork('webgpu') };
  await assert.rejects(loadPanelMaskModel(reader, { webGpu: route }), (error: unknown) => {
    assert.ok(error instanceof MaskModelError);
    assert.equal(error.message, "Loupe's inference runtime (ort/ort-wasm-simd-threaded.wasm) is missing: reinstall Loupe.");
    return true;
  });
});
