/**
 * The Loupe panel: one block per available action (options + Run), the running job with Cancel, what was
 * written, errors in plain words. State lives in the zustand store; controls come from ui/widgets, so the
 * same component renders Spectrum widgets in Photoshop and plain HTML in a browser.
 */
import type { CSSProperties } from 'react';
import { useStore } from 'zustand';
import type { AnyCapability } from './capabilities';
import type { ActionOutcome, CheckItem, CheckReport } from './host';
import type { PanelStore } from './store';
import { Button, Heading, ProgressBar, Text } from './ui/widgets';
import { ChangesControl } from './ChangesControl';

export interface LoupePanelProps {
  readonly store: PanelStore;
  readonly capabilities: readonly AnyCapability[];
  /** E.g. "Photoshop 26.0.0"; null when no document host is connected. */
  readonly hostLabel: string | null;
}

export function LoupePanel({ store, capabilities, hostLabel }: LoupePanelProps) {
  const running = useStore(store, (s) => s.running);
  const outcome = useStore(store, (s) => s.outcome);
  const error = useStore(store, (s) => s.error);
  const note = useStore(store, (s) => s.note);
  const previewUrl = useStore(store, (s) => s.previewUrl);
  const changesWritten = useStore(store, (s) => s.changes?.written != null);
  return (
    <div style={styles.panel} data-testid="loupe-panel">
      <div style={styles.title}>Loupe</div>
      <Text secondary>Jewelry retouching as editable layers</Text>
      {hostLabel === null && (
        <div style={styles.box} data-testid="no-host">
          <Text>Not connected to a document. Load Loupe in Photoshop, or run npm run dev for the browser harness.</Text>
        </div>
      )}
      {capabilities.map((capability) => (
        <ActionBlock key={capability.id} store={store} capability={capability} busy={running !== null} canRun={hostLabel !== null} />
      ))}
      {running && (
        <div style={styles.box} data-testid="running">
          <ProgressBar label={`${running.title}: ${running.message}`} fraction={running.fraction} />
          <div style={styles.row}>
            <Button variant="secondary" onClick={() => store.getState().cancel()} disabled={running.cancelling} testId="cancel">
              Cancel
            </Button>
          </div>
        </div>
      )}
      {error && (
        <div style={{ ...styles.box, ...styles.error }} role="alert" data-testid="error">
          <Text>{error}</Text>
        </div>
      )}
      {note && <Text secondary testId="note">{note}</Text>}
      {outcome && !running && (
        <div style={styles.box} data-testid="outcome">
          {outcome.kind === 'written' ? <WrittenView outcome={outcome.written} /> : <ReportView report={outcome.report} wroteChanges={changesWritten} />}
          {outcome.kind === 'checked' && <ChangesControl store={store} />}
          {previewUrl && <img src={previewUrl} alt="The document after Loupe" style={styles.preview} data-testid="result-preview" />}
        </div>
      )}
      {hostLabel && <div style={styles.footer}><Text secondary>{hostLabel}</Text></div>}
    </div>
  );
}

function WrittenView({ outcome }: { outcome: ActionOutcome }) {
  return (
    <>
      <Heading>{outcome.summary.headline}</Heading>
      {outcome.summary.details.map((line) => (
        <Text key={line} secondary>{line}</Text>
      ))}
      {outcome.layers.length > 0 && <Text>Written: group “{outcome.groupName}”</Text>}
      {[...outcome.layers].reverse().map((name) => (
        <Text key={name} testId="written-layer">· {name}</Text>
      ))}
      {outcome.selections.map((name) => (
        <Text key={name} testId="saved-selection">Saved selection “{name}” (Select › Load Selection)</Text>
      ))}
      <Text secondary>Undo it in one step: “{outcome.historyName}”.</Text>
    </>
  );
}

const VERDICT_MARK: Readonly<Record<CheckItem['verdict'], string>> = { pass: '✓', warn: '!', fail: '✗', skipped: '–' };

function ReportView({ report, wroteChanges }: { report: CheckReport; wroteChanges: boolean }) {
  // Failures first, then warnings: what needs the retoucher's eye comes first.
  const order: CheckItem['verdict'][] = ['fail', 'warn', 'pass', 'skipped'];
  const items = [...report.items].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
  return (
    <>
      <Heading>{report.headline}</Heading>
      {report.details.map((line) => (
        <Text key={line} secondary>{line}</Text>
      ))}
      {items.map((item) => (
        <div key={item.label} style={styles.check} data-testid="check-item" data-verdict={item.verdict}>
          <Text>{VERDICT_MARK[item.verdict]} {item.label}</Text>
          {item.detail && item.verdict !== 'pass' && <Text secondary>{item.detail}</Text>}
        </div>
      ))}
      {!wroteChanges && <Text secondary>Nothing was written to the document.</Text>}
    </>
  );
}

function ActionBlock({ store, capability, busy, canRun }: { store: PanelStore; capability: AnyCapability; busy: boolean; canRun: boolean }) {
  const options = useStore(store, (s) => s.options[capability.id]);
  const hostKind = useStore(store, (s) => s.hostKind);
  const keys = useStore(store, (s) => s.keys);
  const openTextFile = useStore(store, (s) => s.openTextFile);
  const Options = capability.Options;
  return (
    <div style={styles.action} data-testid={`action-${capability.id}`}>
      <Heading>{capability.title}</Heading>
      <Text secondary>{capability.what}</Text>
      {Options && (
        <Options value={options} onChange={(value) => store.getState().setOptions(capability.id, value)} disabled={busy} host={{ kind: hostKind, keys, openTextFile }} />
      )}
      <div style={styles.row}>
        <Button onClick={() => void store.getState().run(capability.id)} disabled={busy || !canRun} testId={`run-${capability.id}`}>
          {capability.title}
        </Button>
      </div>
    </div>
  );
}

const text = 'var(--uxp-host-text-color, #d8d8d8)';
const border = 'var(--uxp-host-border-color, #555555)';

// UXP's CSS subset only: no gap, no grid, no nesting.
const styles: Record<string, CSSProperties> = {
  panel: { padding: 12, color: text, fontSize: 'var(--uxp-host-font-size, 12px)', fontFamily: 'sans-serif' },
  title: { fontSize: 18, fontWeight: 'bold', marginBottom: 2 },
  action: { paddingTop: 10, paddingBottom: 10, borderBottomWidth: 1, borderBottomStyle: 'solid', borderBottomColor: border },
  row: { display: 'flex', flexDirection: 'row', justifyContent: 'flex-start', marginTop: 8 },
  box: { borderWidth: 1, borderStyle: 'solid', borderColor: border, borderRadius: 4, padding: 8, marginTop: 10 },
  error: { borderColor: '#d7373f' },
  footer: { marginTop: 12 },
  check: { marginTop: 4 },
  preview: { width: '100%', marginTop: 8 },
};
