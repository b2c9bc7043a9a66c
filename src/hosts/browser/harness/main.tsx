/**
 * Entry of the browser harness (`npm run dev`): the Loupe panel, plain-HTML flavour, next to an in-memory
 * document, wired through the browser host exactly as the Photoshop panel is through the Photoshop host.
 */
import { createRoot } from 'react-dom/client';
import { LoupePanel } from '../../../../panels/LoupePanel';
import { CAPABILITIES } from '../../../../panels/capabilities';
import { createPanelStore } from '../../../../panels/store';
import { UiFlavorContext } from '../../../../panels/ui/widgets';
import { createBrowserDocument } from '../browserDocument';
import { createBrowserHost } from '../browserHost';
import { reportingMaskModel } from '../maskModelReport';
import { servedMaskModel } from '../servedFiles';
import { DocumentView } from './DocumentView';
import { createMaskReportStore, MaskBackendStatus } from './MaskBackendStatus';

const document_ = createBrowserDocument();
const maskReport = createMaskReportStore();
const host = createBrowserHost(document_, { maskModel: reportingMaskModel(servedMaskModel(), maskReport.set) });
const store = createPanelStore(host, CAPABILITIES);

const target = document.getElementById('root');
if (target) {
  createRoot(target).render(
    <div style={{ display: 'flex', height: '100vh', background: '#323232' }}>
      <DocumentView document={document_} />
      <div style={{ width: 300, borderLeft: '1px solid #444', overflow: 'auto' }} data-testid="panel-column">
        <UiFlavorContext.Provider value="html">
          <LoupePanel store={store} capabilities={CAPABILITIES} hostLabel={host.label} />
        </UiFlavorContext.Provider>
        <MaskBackendStatus store={maskReport} />
      </div>
    </div>,
  );
}
