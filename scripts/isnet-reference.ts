/**
 * The AGPL IS-Net of @imgly/background-removal-data as a reference mask — benchmark and evaluation only, never
 * shipped or bundled: reassembled from the data package's chunks and run at its 1024² input on one WASM thread
 * (as UXP would). Used by test/bench/mask-benchmark.ts and scripts/eval-mask-beyond-rings.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-web';
import sharp from 'sharp';

const SIDE = 1024;

export interface IsnetReference { readonly session: InferenceSession; readonly ort: typeof import('onnxruntime-web') }

/** Opens IS-Net from the data package's dist/ folder (where its resources.json lies). */
export async function openIsnet(dataDir: string): Promise<IsnetReference> {
  const ort = await import('onnxruntime-web');
  const resources = JSON.parse(readFileSync(join(dataDir, 'resources.json'), 'utf8'));
  const entry = resources['/models/medium'] as { size: number; chunks: { hash: string; offsets: [number, number] }[] };
  const model = new Uint8Array(entry.size);
  for (const c of entry.chunks) model.set(readFileSync(join(dataDir, c.hash)), c.offsets[0]);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = readFileSync(join(dirname(createRequire(import.meta.url).resolve('onnxruntime-web')), 'ort-wasm-simd-threaded.wasm'));
  return { session: await ort.InferenceSession.create(model, { executionProviders: ['wasm'] }), ort };
}

/** IS-Net's mask of a photo (0..255, min–max normalised as its package does) at the photo's size, and the inference's time. */
export async function isnetMaskOf({ session, ort }: IsnetReference, imagePath: string): Promise<{ mask: Uint8Array; width: number; height: number; ms: number }> {
  const meta = await sharp(imagePath).metadata();
  const { data } = await sharp(imagePath).removeAlpha().resize(SIDE, SIDE, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const input = new Float32Array(3 * SIDE * SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) for (let ch = 0; ch < 3; ch++) input[ch * SIDE * SIDE + i] = data[i * 3 + ch] / 255 - 0.5; // IS-Net: mean 0.5, std 1
  const t = performance.now();
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, SIDE, SIDE]) });
  const ms = performance.now() - t;
  const pred = result[session.outputNames[0]].data as Float32Array;
  let lo = Infinity, hi = -Infinity;
  for (const v of pred) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const small = new Uint8Array(SIDE * SIDE).map((_, i) => Math.round((255 * (pred[i] - lo)) / (hi - lo || 1)));
  const mask = await sharp(small, { raw: { width: SIDE, height: SIDE, channels: 1 } }).resize(meta.width!, meta.height!, { fit: 'fill' }).extractChannel(0).raw().toBuffer();
  return { mask: new Uint8Array(mask), width: meta.width!, height: meta.height!, ms };
}
