/**
 * The mask network on onnxruntime-web's WebGPU build (`onnxruntime-web/webgpu`: its own glue and its own
 * 27 MB ort-wasm-simd-threaded.asyncify.wasm). Only hosts that may have WebGPU reach this module, and
 * through a dynamic import, so the build is fetched where it is used and the UXP bundle (no WebGPU in
 * the panel) never holds it.
 */
import { startOnnxMaskNetwork, type OnnxMaskNetwork, type OnnxMaskNetworkOptions } from './onnxMaskNetwork';
import type { PanelWebGpuRoute } from './panelMaskModel';
import { probeWebGpu } from './webGpuProbe';

/** The .wasm the WebGPU build runs on, at the path the harness's server gives node_modules/onnxruntime-web/dist. */
export const ORT_WEBGPU_WASM_PATH = 'ort/ort-wasm-simd-threaded.asyncify.wasm';

/** Starts the model on the WebGPU execution provider only; rejects when it cannot (the caller falls back). */
export async function createWebGpuMaskNetwork(options: OnnxMaskNetworkOptions): Promise<OnnxMaskNetwork> {
  const runtime = await import('onnxruntime-web/webgpu');
  return startOnnxMaskNetwork(runtime, 'webgpu', options);
}

/** The WebGPU route for the panel's model loader, for hosts that may have WebGPU (the browser harness). */
export function panelWebGpuRoute(): PanelWebGpuRoute {
  return { probe: () => probeWebGpu(), wasmPath: ORT_WEBGPU_WASM_PATH, start: createWebGpuMaskNetwork };
}
