/**
 * Panel bundle entry (webpack → dist/index.js). Inside Photoshop it registers the manifest's panel
 * entrypoint synchronously (UXP expects `entrypoints.setup` right away, and panel callbacks must return
 * within 300 ms), then mounts React into the panel node on create/show. In a plain browser it mounts into
 * #root so the UI can be previewed without Photoshop.
 */
import { createRoot, type Root } from 'react-dom/client';
import { LoupePanel } from './LoupePanel';
import { PANEL_ID } from './ids';
import { hookNode, loadUxp, type PanelHookArg } from './host';

const uxp = loadUxp();
const hostLabel = uxp ? `${uxp.host?.name ?? 'Photoshop'} ${uxp.host?.version ?? ''}`.trim() : null;

let root: Root | null = null;
let container: HTMLElement | null = null;

function mount(parent: HTMLElement): void {
  if (root) return;
  container = document.createElement('div');
  parent.appendChild(container);
  root = createRoot(container);
  root.render(<LoupePanel host={hostLabel} />);
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
