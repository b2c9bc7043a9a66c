/**
 * The panel's shipped files (models/, ort/) as the harness's server gives them (scripts/dev-server.ts
 * serves them at the same paths the build puts them in dist/), for the shared model loader.
 */
import { cachedMaskModel, loadPanelMaskModel, type LoadedMaskModel, type PanelFileReader } from '../../inference/panelMaskModel';
import { panelWebGpuRoute } from '../../inference/webGpuMaskNetwork';

export function servedFileReader(base = '/'): PanelFileReader {
  return async (path) => {
    const response = await fetch(`${base}${path}`);
    if (!response.ok) throw new Error(`${base}${path}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

/**
 * The mask model from the harness's server, loaded on first use and kept for later runs: on WebGPU where
 * this browser has an adapter (the WebGPU build is fetched only then), else on WASM as in the panel.
 */
export function servedMaskModel(base = '/'): () => Promise<LoadedMaskModel> {
  const read = servedFileReader(base);
  return cachedMaskModel(() => loadPanelMaskModel(read, { webGpu: panelWebGpuRoute() }));
}
