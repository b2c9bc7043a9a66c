/**
 * Loads Loupe's mask model for the command line: the .onnx from models/, checked against the sha256 in
 * its metadata file, and onnxruntime-web's .wasm from node_modules, both handed to the runtime as bytes
 * (the same way the UXP panel does it, so the CLI exercises the panel's inference path).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOnnxMaskNetwork, type OnnxMaskNetwork } from '../../inference/onnxMaskNetwork';

export const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');

export interface MaskModelInfo {
  readonly file: string;
  readonly sha256: string;
  readonly version: string;
}

export class ModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelError';
  }
}

export async function readModelInfo(dir = MODELS_DIR): Promise<MaskModelInfo> {
  try {
    return JSON.parse(await readFile(join(dir, 'jewelry-mask.json'), 'utf8')) as MaskModelInfo;
  } catch (err) {
    throw new ModelError(`Loupe's mask model description ${join(dir, 'jewelry-mask.json')} is missing or unreadable: reinstall Loupe, or give the mask yourself with --mask`, { cause: err });
  }
}

/** The model's bytes after checking them against the published sha256. */
export async function readVerifiedModel(dir = MODELS_DIR): Promise<{ info: MaskModelInfo; bytes: Uint8Array }> {
  const info = await readModelInfo(dir);
  const path = join(dir, info.file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ModelError(`Loupe's mask model ${path} is missing: reinstall Loupe, or give the mask yourself with --mask`, { cause: err });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== info.sha256) {
    throw new ModelError(`Loupe's mask model ${path} is damaged (sha256 ${sha256.slice(0, 12)}…, expected ${info.sha256.slice(0, 12)}…): reinstall Loupe, or give the mask yourself with --mask`);
  }
  return { info, bytes };
}

export async function readOrtWasm(): Promise<Uint8Array> {
  const entry = createRequire(import.meta.url).resolve('onnxruntime-web');
  const path = join(dirname(entry), 'ort-wasm-simd-threaded.wasm');
  try {
    return await readFile(path);
  } catch (err) {
    throw new ModelError(`onnxruntime-web's ${path} is missing: run 'npm install' again`, { cause: err });
  }
}

export async function loadMaskNetwork(dir = MODELS_DIR): Promise<{ info: MaskModelInfo; network: OnnxMaskNetwork }> {
  const [{ info, bytes }, wasm] = await Promise.all([readVerifiedModel(dir), readOrtWasm()]);
  return { info, network: await createOnnxMaskNetwork({ model: bytes, wasm }) };
}
