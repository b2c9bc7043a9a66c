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

/** A loader that tells `onReport` once the model is up and after every inference. */
export function reportingMaskModel(load: () => Promise<LoadedMaskModel>, onReport: (report: MaskModelReport) => void, now = () => performance.now()): () => Promise<LoadedMaskModel> {
  let wrapped: Promise<LoadedMaskModel> | null = null;
  return () => {
    wrapped ??= load().then((model) => {
      let report: MaskModelReport = {
        backend: model.backend?.backend ?? 'unknown', description: model.backend?.description ?? model.label, inferenceMs: [],
      };
      onReport(report);
      const { network } = model;
      // A run started more than a second after the previous one ended belongs to a new action.
      let lastEnd = -Infinity;
      return {
        ...model,
        network: {
          multiple: network.multiple,
          async run(planes, width, height) {
            const start = now();
            const out = await network.run(planes, width, height);
            const end = now();
            report = { ...report, inferenceMs: [...(start - lastEnd > 1000 ? [] : report.inferenceMs), end - start] };
            lastEnd = end;
            onReport(report);
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
