/**
 * Files shipped inside the plugin (dist/ → the installed plugin folder), read through UXP's fs with the
 * `plugin:/` scheme: fetch() cannot read local files in UXP (../shared/specs/uxp-platform.md §5).
 */
import { cachedMaskModel, loadPanelMaskModel, type LoadedMaskModel, type PanelFileReader } from '../../inference/panelMaskModel';
import type { UxpFs } from './loadPhotoshopModules';

export function pluginFileReader(fs: UxpFs): PanelFileReader {
  return async (path) => {
    const data = await fs.readFile(`plugin:/${path}`);
    if (typeof data === 'string') throw new Error(`plugin:/${path} came back as text, not bytes`);
    return new Uint8Array(data);
  };
}

/** The mask model from the plugin folder, loaded on first use and kept for later runs. */
export function pluginMaskModel(fs: UxpFs): () => Promise<LoadedMaskModel> {
  const read = pluginFileReader(fs);
  return cachedMaskModel(() => {
    ensurePerformanceNow();
    return loadPanelMaskModel(read);
  });
}

/**
 * ORT's WASM glue reads performance.timeOrigin + performance.now() while it runs; UXP's globals are not a
 * browser's and do not promise them (unverified on a real Photoshop), so a millisecond clock stands in
 * where they are missing.
 */
function ensurePerformanceNow(): void {
  const scope = globalThis as { performance?: { now?: () => number; timeOrigin?: number } };
  if (typeof scope.performance?.now === 'function' && typeof scope.performance.timeOrigin === 'number') return;
  const start = Date.now();
  scope.performance = { ...scope.performance, timeOrigin: start, now: () => Date.now() - start };
}
