/**
 * "Show changes on the image" after a check: in Photoshop a button that writes the heatmaps as the hidden
 * "Loupe · Fidelity" group (then says where it is and how to turn it on), in the browser harness a toggle
 * that draws the chosen heatmap over the preview. Both show what the colours mean.
 */
import type { CSSProperties } from 'react';
import { useStore } from 'zustand';
import type { LegendEntry, OverlayView } from './host';
import type { PanelStore } from './store';
import { Button, Heading, Picker, Text } from './ui/widgets';

export function ChangesControl({ store }: { store: PanelStore }) {
  const changes = useStore(store, (s) => s.changes);
  const kind = useStore(store, (s) => s.changesKind);
  const outcome = useStore(store, (s) => s.outcome);
  const overlay = outcome?.kind === 'checked' ? outcome.report.overlay : undefined;
  if (!changes || !kind || !overlay) return null;
  const state = store.getState();

  if (kind === 'preview') {
    const view = overlay.views.find((v) => v.id === changes.viewId) ?? overlay.views[0];
    return (
      <div style={styles.block} data-testid="changes">
        <Picker
          label="Heatmap"
          value={view.id}
          choices={overlay.views.map((v) => ({ value: v.id, label: v.label }))}
          onChange={(viewId) => state.setChangesView(viewId)}
          testId="changes-view"
        />
        <Button onClick={() => (changes.shown ? state.hideChanges() : void state.showChanges())} variant="secondary" testId="show-changes">
          {changes.shown ? 'Hide changes' : 'Show changes on the image'}
        </Button>
        {changes.shown && <Legend entries={view.legend} />}
      </div>
    );
  }

  if (!changes.written) {
    return (
      <div style={styles.block} data-testid="changes">
        <Button onClick={() => void state.showChanges()} variant="secondary" testId="show-changes">Show changes on the image</Button>
        <Text secondary>Adds the heatmaps as a hidden group “Loupe · Fidelity” (one Undo step): turn a layer on to see where the result departs from the photo.</Text>
      </div>
    );
  }
  const { written } = changes;
  return (
    <div style={styles.block} data-testid="changes">
      <Text>Written, hidden: group “{written.groupName}”</Text>
      {[...written.layers].reverse().map((name) => (
        <Text key={name} testId="written-layer">· {name}</Text>
      ))}
      <Text secondary>Turn a layer on with its eye in the Layers panel. While hidden it never reaches an export; hide or delete the group before you flatten.</Text>
      {overlay.views.map((view) => <ViewLegend key={view.id} view={view} />)}
      <Text secondary>Undo it in one step: “{written.historyName}”.</Text>
    </div>
  );
}

function ViewLegend({ view }: { view: OverlayView }) {
  return (
    <>
      <Heading>{view.label}</Heading>
      <Legend entries={view.legend} />
    </>
  );
}

function Legend({ entries }: { entries: readonly LegendEntry[] }) {
  return (
    <div data-testid="changes-legend">
      {entries.map((e) => (
        <div key={e.meaning} style={styles.legendRow}>
          <div style={{ ...styles.swatch, backgroundColor: e.colour }} />
          <Text secondary>{e.meaning}</Text>
        </div>
      ))}
    </div>
  );
}

// UXP's CSS subset only: no gap, no grid.
const styles: Record<string, CSSProperties> = {
  block: { marginTop: 8 },
  legendRow: { display: 'flex', flexDirection: 'row', alignItems: 'center' },
  swatch: { width: 10, height: 10, marginRight: 6, flexShrink: 0 },
};
