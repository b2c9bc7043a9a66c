/**
 * Panel bundle entry (webpack → dist/index.js). Inside Photoshop it registers the manifest's panel
 * entrypoint synchronously (UXP expects `entrypoints.setup` right away, and panel callbacks must return
 * within 300 ms), then mounts React into the panel node on create/show with the Photoshop host and
 * Spectrum widgets. Opened in a plain browser it mounts a host-less panel into #root that says how to
 * get a document (the browser harness, `npm run dev`, has its own entry).
 */
import { createRoot, type Root } from 'react-dom/client';
import { LoupePanel } from './LoupePanel';
import { CAPABILITIES } from './capabilities';
import { PANEL_ID } from './ids';
import { createPanelStore } from './store';
import { UiFlavorContext } from './ui/widgets';
import { hookNode, loadUxp, type PanelHookArg } from '../src/hosts/photoshop/uxpRuntime';
import { createPhotoshopHost } from '../src/hosts/photoshop/photoshopHost';
import { loadLocalFileSystem, loadPhotoshopModule, loadSecureStorage, loadUxpFs } from '../src/hosts/photoshop/loadPhotoshopModules';
import { uxpTextFilePicker } from '../src/hosts/photoshop/textFilePicker';
import { pluginMaskModel } from '../src/hosts/photoshop/pluginFiles';
import { secureKeyStore } from '../src/hosts/photoshop/secureKeyStore';

const uxp = loadUxp();

let root: Root | null = null;
let container: HTMLElement | null = null;

function mount(parent: HTMLElement): void {
  if (root) return;
  // The photoshop module is required on first show, not at load, so registering stays instant.
  const host = uxp
    ? createPhotoshopHost(loadPhotoshopModule(), {
      maskModel: pluginMaskModel(loadUxpFs()), keys: secureKeyStore(loadSecureStorage()), openTextFile: uxpTextFilePicker(loadLocalFileSystem()),
    })
    : null;
  // Options are remembered in Photoshop only (UXP's per-plugin localStorage); the harness starts fresh.
  const store = createPanelStore(host, CAPABILITIES, host ? globalThis.localStorage ?? null : null);
  container = document.createElement('div');
  parent.appendChild(container);
  root = createRoot(container);
  root.render(
    <UiFlavorContext.Provider value={uxp ? 'spectrum' : 'html'}>
      <LoupePanel store={store} capabilities={CAPABILITIES} hostLabel={host ? host.label : null} />
    </UiFlavorContext.Provider>,
  );
}

function unmount(): void {
  root?.unmount();
  root = null;
  container?.remove();
  container = null;
}

if (uxp) {
  const mountFrom = (arg: PanelHookArg): void => mount(hookNode(arg) ?? document.body);
  uxp.entrypoints.setup({
    panels: {
      [PANEL_ID]: {
        create: mountFrom,
        show: mountFrom,
        destroy: unmount,
      },
    },
  });
} else {
  const target = document.getElementById('root');
  if (target) mount(target);
}
