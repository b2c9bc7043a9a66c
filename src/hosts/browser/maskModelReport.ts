/**
 * The harness's mask model, watched: which backend the loader chose (and why) and how long each inference
 * took, for the page to show — the proof of what really ran in this browser.
 */
import type { LoadedMaskModel } from '../../inference/panelMaskModel';

export interface MaskModelReport {
  readonly backend: 'wasm' | 'webgpu' | 'unknown';
  /** E.g. "WebGPU (google swiftshader)", "WASM, 1 thread (WebGPU gave no adapter)". */
  readonly description: string;
  /** Milliseconds of each network.run of the last action, in order. */
  readonly inferenceMs: readonly number[];
}

/**
 * A loader that tells `onReport` once the model is up and after every inference. Each action asks the
 * loader for the model once before running it, so every call starts a new list of times.
 */
export function reportingMaskModel(load: () => Promise<LoadedMaskModel>, onReport: (report: MaskModelReport) => void, now = () => performance.now()): () => Promise<LoadedMaskModel> {
  let report: MaskModelReport | null = null;
  const update = (next: MaskModelReport) => {
    report = next;
    onReport(next);
  };
  let wrapped: Promise<LoadedMaskModel> | null = null;
  return () => {
    if (report) update({ ...report, inferenceMs: [] });
    wrapped ??= load().then((model) => {
      update({ backend: model.backend?.backend ?? 'unknown', description: model.backend?.description ?? model.label, inferenceMs: [] });
      const { network } = model;
      return {
        ...model,
        network: {
          multiple: network.multiple,
          async run(planes, width, height) {
            const start = now();
            const out = await network.run(planes, width, height);
            if (report) update({ ...report, inferenceMs: [...report.inferenceMs, now() - start] });
            return out;
          },
        },
      };
    }, (error: unknown) => {
      wrapped = null;
      throw error;
    });
    return wrapped;
  };
}
