/**
 * One mask network for callers, on the best backend the host offers: WebGPU where the host has a WebGPU
 * route and an adapter, else WASM on one thread. Every step down to WASM says why, so the harness (and a
 * bug report) can tell which backend really ran.
 */
import type { MaskBackend, OnnxMaskNetwork } from './onnxMaskNetwork';
import type { WebGpuProbe } from './webGpuProbe';

export interface MaskNetworkRoutes {
  /** The plain WASM build, one thread: every host has it. */
  startWasm(): Promise<OnnxMaskNetwork>;
  /** Absent where no WebGPU build is shipped (the UXP panel has no WebGPU). */
  readonly webGpu?: {
    probe(): Promise<WebGpuProbe>;
    start(): Promise<OnnxMaskNetwork>;
  };
}

export interface ChosenMaskNetwork {
  readonly network: OnnxMaskNetwork;
  readonly backend: MaskBackend;
  /** In words: "WebGPU (google swiftshader)", "WASM, 1 thread (WebGPU gave no adapter)". */
  readonly description: string;
}

const WASM = 'WASM, 1 thread';

export async function chooseMaskNetwork(routes: MaskNetworkRoutes): Promise<ChosenMaskNetwork> {
  const onWasm = async (why?: string): Promise<ChosenMaskNetwork> => ({
    network: await routes.startWasm(), backend: 'wasm', description: why ? `${WASM} (${why})` : WASM,
  });
  if (!routes.webGpu) return onWasm();
  const probe = await routes.webGpu.probe();
  if (!probe.available) return onWasm(probe.reason);
  try {
    const network = await routes.webGpu.start();
    return { network, backend: 'webgpu', description: `WebGPU (${probe.adapter})` };
  } catch (error) {
    // An adapter is no promise that every operator of the model runs on it: WASM still will.
    return onWasm(`WebGPU on ${probe.adapter} would not start: ${String((error as Error).message ?? error).split('\n')[0]}`);
  }
}
