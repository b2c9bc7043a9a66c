/**
 * Loupe's mask network on onnxruntime-web, the same code in Node, the browser and the UXP panel.
 *
 * UXP has WebAssembly but no workers and no fetch() of plugin files, so the runtime is set to one thread,
 * no proxy worker, and is handed the .wasm as bytes; the model arrives as bytes too. Hosts read both (the
 * CLI from node_modules and models/, the panel with fs.readFile("plugin:/…")) and check the model's sha256
 * before calling this. WebGPU is used only where the host offers it, falling back to WASM.
 */
import * as ort from 'onnxruntime-web';
import type { MaskNetwork } from '../engine/segmentation/modelMask';

export interface OnnxMaskNetworkOptions {
  readonly model: Uint8Array;
  /** ort-wasm-simd-threaded.wasm as bytes. */
  readonly wasm: Uint8Array;
  readonly backend?: 'wasm' | 'webgpu';
}

export interface OnnxMaskNetwork extends MaskNetwork {
  readonly backend: 'wasm' | 'webgpu';
  release(): Promise<void>;
}

export async function createOnnxMaskNetwork(options: OnnxMaskNetworkOptions): Promise<OnnxMaskNetwork> {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = options.wasm;
  let backend = options.backend ?? 'wasm';
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(options.model, { executionProviders: [backend], graphOptimizationLevel: 'all' });
  } catch (err) {
    if (backend === 'wasm') throw new Error(`the mask model could not be loaded (${(err as Error).message}): reinstall Loupe`, { cause: err });
    backend = 'wasm'; // no WebGPU here after all
    session = await ort.InferenceSession.create(options.model, { executionProviders: ['wasm'] });
  }
  const [input] = session.inputNames;
  if (!input || !session.outputNames.includes('masks') || !session.outputNames.includes('family')) {
    throw new Error('the mask model file is not the one this version of Loupe expects (outputs "masks" and "family"): reinstall Loupe');
  }
  return {
    backend,
    multiple: 32,
    async run(planes, width, height) {
      const feeds = { [input]: new ort.Tensor('float32', planes, [1, 3, height, width]) };
      const out = await session.run(feeds);
      const logits = out.masks.data as Float32Array, family = out.family.data as Float32Array;
      for (const t of Object.values(out)) t.dispose();
      return { logits, family };
    },
    release: () => session.release(),
  };
}
