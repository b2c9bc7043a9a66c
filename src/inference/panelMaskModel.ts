/**
 * Loads Loupe's mask model for the panel, from the files the build puts beside the panel (webpack copies
 * them into dist/): models/jewelry-mask.json (name, version, sha256), models/jewelry-mask.onnx and
 * ort/ort-wasm-simd-threaded.wasm. How a file is read is the host's business (UXP: fs.readFile("plugin:/…");
 * the browser harness: fetch from its server); checking the digest and starting the runtime is shared.
 * A host that may have WebGPU hands in a WebGPU route (webGpuMaskNetwork.ts); the model then runs there
 * when an adapter is found, else on WASM (maskNetworkChoice.ts).
 */
import type { MaskNetwork } from '../engine/segmentation/modelMask';
import { chooseMaskNetwork, type ChosenMaskNetwork } from './maskNetworkChoice';
import { createOnnxMaskNetwork, type OnnxMaskNetwork, type OnnxMaskNetworkOptions } from './onnxMaskNetwork';
import { sha256Hex } from './sha256';
import type { WebGpuProbe } from './webGpuProbe';

export const MASK_MODEL_INFO_PATH = 'models/jewelry-mask.json';
export const ORT_WASM_PATH = 'ort/ort-wasm-simd-threaded.wasm';

/** Reads a file shipped with the panel, by its path relative to the plugin folder; rejects when it is missing. */
export type PanelFileReader = (path: string) => Promise<Uint8Array>;

export interface LoadedMaskModel {
  readonly network: MaskNetwork;
  /** E.g. "jewelry-mask.onnx 0.1.0 on WebGPU", for the summary. */
  readonly label: string;
  /** Which backend runs it and why that one, where the loader chose (loadPanelMaskModel). */
  readonly backend?: Pick<ChosenMaskNetwork, 'backend' | 'description'>;
}

/** How a host that may have WebGPU starts the model there; its .wasm is read only when WebGPU is used. */
export interface PanelWebGpuRoute {
  probe(): Promise<WebGpuProbe>;
  /** The WebGPU build's .wasm, relative to the plugin folder. */
  readonly wasmPath: string;
  start(options: OnnxMaskNetworkOptions): Promise<OnnxMaskNetwork>;
}

/** A model that is missing, damaged or will not start; the message says what to do. */
export class MaskModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MaskModelError';
  }
}

const REINSTALL = 'reinstall Loupe';

export async function loadPanelMaskModel(read: PanelFileReader, options: { webGpu?: PanelWebGpuRoute } = {}): Promise<LoadedMaskModel> {
  const info = await readInfo(read);
  const modelPath = `models/${info.file}`;
  const model = await readOrExplain(read, modelPath, `Loupe's mask model (${modelPath}) is missing: ${REINSTALL}.`);
  const digest = sha256Hex(model);
  if (digest !== info.sha256) {
    throw new MaskModelError(`Loupe's mask model (${modelPath}) is damaged (sha256 ${digest.slice(0, 12)}…, expected ${info.sha256.slice(0, 12)}…): ${REINSTALL}.`);
  }
  const { webGpu } = options;
  try {
    const chosen = await chooseMaskNetwork({
      startWasm: async () => createOnnxMaskNetwork({
        model, wasm: await readOrExplain(read, ORT_WASM_PATH, `Loupe's inference runtime (${ORT_WASM_PATH}) is missing: ${REINSTALL}.`),
      }),
      webGpu: webGpu && {
        probe: () => webGpu.probe(),
        start: async () => webGpu.start({ model, wasm: await read(webGpu.wasmPath) }),
      },
    });
    return {
      network: chosen.network,
      label: `${info.file} ${info.version} on ${chosen.backend === 'webgpu' ? 'WebGPU' : 'WASM'}`,
      backend: { backend: chosen.backend, description: chosen.description },
    };
  } catch (error) {
    if (error instanceof MaskModelError) throw error;
    throw new MaskModelError(`Loupe's mask model would not start (${(error as Error).message.split('\n')[0]}): ${REINSTALL}.`, { cause: error });
  }
}

/**
 * Loads once and keeps the model for the next runs (starting the runtime costs a few hundred ms); a failed
 * load is forgotten, so the next run tries again.
 */
export function cachedMaskModel(load: () => Promise<LoadedMaskModel>): () => Promise<LoadedMaskModel> {
  let pending: Promise<LoadedMaskModel> | null = null;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

async function readInfo(read: PanelFileReader): Promise<{ file: string; sha256: string; version: string }> {
  const bytes = await readOrExplain(read, MASK_MODEL_INFO_PATH, `Loupe's mask model description (${MASK_MODEL_INFO_PATH}) is missing: ${REINSTALL}.`);
  let info: { file?: unknown; sha256?: unknown; version?: unknown };
  try {
    info = JSON.parse(new TextDecoder().decode(bytes)) as typeof info;
  } catch (error) {
    throw new MaskModelError(`Loupe's mask model description (${MASK_MODEL_INFO_PATH}) is unreadable: ${REINSTALL}.`, { cause: error });
  }
  const { file, sha256, version } = info;
  if (typeof file !== 'string' || !/^[\w.-]+\.onnx$/.test(file) || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new MaskModelError(`Loupe's mask model description (${MASK_MODEL_INFO_PATH}) names no model file or digest: ${REINSTALL}.`);
  }
  return { file, sha256, version: typeof version === 'string' ? version : '' };
}

async function readOrExplain(read: PanelFileReader, path: string, message: string): Promise<Uint8Array> {
  try {
    return await read(path);
  } catch (error) {
    throw new MaskModelError(message, { cause: error });
  }
}
