/**
 * Loupe's mask network on onnxruntime-web, the same code in Node, the browser and the UXP panel.
 *
 * UXP has WebAssembly but no workers and no fetch() of plugin files, so the runtime is set to one thread,
 * no proxy worker, and is handed the .wasm as bytes; the model arrives as bytes too. Hosts read both (the
 * CLI from node_modules and models/, the panel with fs.readFile("plugin:/…")) and check the model's sha256
 * before calling this. This module holds the plain WASM build only; the WebGPU build is another
 * onnxruntime-web entry (webGpuMaskNetwork.ts), loaded on its own where a host offers WebGPU
 * (maskNetworkChoice.ts picks), so the UXP bundle never carries it.
 */
import * as ort from 'onnxruntime-web';
import type { MaskNetwork } from '../engine/segmentation/modelMask';

export type MaskBackend = 'wasm' | 'webgpu';

export interface OnnxMaskNetworkOptions {
  readonly model: Uint8Array;
  /** The .wasm of the onnxruntime-web build in use, as bytes (plain build: ort-wasm-simd-threaded.wasm). */
  readonly wasm: Uint8Array;
}

export interface OnnxMaskNetwork extends MaskNetwork {
  readonly backend: MaskBackend;
  release(): Promise<void>;
}

/** What both onnxruntime-web builds offer (the same types.d.ts); lets one session wrapper serve both. */
export type OrtRuntime = Pick<typeof ort, 'env' | 'InferenceSession' | 'Tensor'>;

/** The mask network on the plain WASM build, one thread. */
export function createOnnxMaskNetwork(options: OnnxMaskNetworkOptions): Promise<OnnxMaskNetwork> {
  return startOnnxMaskNetwork(ort, 'wasm', options);
}

/** Starts a session of the model on `runtime` with only `backend` as execution provider: no silent fallback here. */
export async function startOnnxMaskNetwork(runtime: OrtRuntime, backend: MaskBackend, options: OnnxMaskNetworkOptions): Promise<OnnxMaskNetwork> {
  runtime.env.wasm.numThreads = 1;
  runtime.env.wasm.proxy = false;
  runtime.env.wasm.wasmBinary = options.wasm;
  let session: ort.InferenceSession;
  try {
    session = await runtime.InferenceSession.create(options.model, { executionProviders: [backend], graphOptimizationLevel: 'all' });
  } catch (err) {
    throw new Error(`the mask model could not be loaded (${(err as Error).message}): reinstall Loupe`, { cause: err });
  }
  const [input] = session.inputNames;
  if (!input || !session.outputNames.includes('masks') || !session.outputNames.includes('family')) {
    await session.release();
    throw new Error('the mask model file is not the one this version of Loupe expects (outputs "masks" and "family"): reinstall Loupe');
  }
  return {
    backend,
    multiple: 32,
    async run(planes, width, height) {
      const feeds = { [input]: new runtime.Tensor('float32', planes, [1, 3, height, width]) };
      const out = await session.run(feeds);
      // getData() downloads GPU-resident outputs too; on WASM it is the data itself.
      const [logits, family] = (await Promise.all([out.masks.getData(), out.family.getData()])) as Float32Array[];
      for (const t of Object.values(out)) t.dispose();
      return { logits, family };
    },
    release: () => session.release(),
  };
}
