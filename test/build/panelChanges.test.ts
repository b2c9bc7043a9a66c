/**
 * "Show changes on the image" after a Fidelity check, in the panel's store and markup, against scripted
 * hosts: Photoshop-like (writes the hidden group once, as a job with Cancel) and browser-like (draws the
 * chosen heatmap over the preview, toggles, follows the chosen view).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { LoupePanel } from '../../panels/LoupePanel.tsx';
import { CAPABILITIES } from '../../panels/capabilities.tsx';
import { createStore } from 'zustand/vanilla';
import { createPanelStore, type PanelState, type PanelStore } from '../../panels/store.ts';
import { UiFlavorContext, type UiFlavor } from '../../panels/ui/widgets.tsx';
import { FIDELITY_VIEWS } from '../../panels/actions/fidelityOverlay.ts';
import { createRgba8 } from '../../src/engine/image.ts';
import { throwIfCancelled, type ActionOutcome, type CheckOverlay, type CheckReport, type Host, type Job, type OverlayHost } from '../../panels/host.ts';

const overlay: CheckOverlay = {
  width: 4,
  height: 3,
  views: FIDELITY_VIEWS,
  layers: () => ({ groupName: 'Loupe · Fidelity', width: 4, height: 3, layers: [] }),
  heatmap: () => createRgba8(4, 3),
};

const report = (withOverlay = true): CheckReport => ({
  headline: 'Not faithful for a marketplace listing: 1 check failed',
  verdict: 'fail',
  items: [{ label: 'Structure kept', verdict: 'fail', detail: 'Detail lost.' }],
  details: ['Jewelry mask: your selection'],
  ...(withOverlay ? { overlay } : {}),
});

const writtenGroup: ActionOutcome = {
  summary: { headline: 'Changes written as hidden layers', details: [] },
  historyName: 'Loupe: Fidelity heatmaps',
  groupName: 'Loupe · Fidelity',
  layers: ['Fidelity · structure changed (red = detail lost)', 'Fidelity · colour change ΔE00 (yellow 1, orange 2, red 5+)', 'Fidelity · failed checks (boxes)'],
  selections: [],
};

function host(shower: OverlayHost | undefined, checkReport = report()): Host {
  return {
    kind: shower?.kind === 'preview' ? 'browser' : 'photoshop',
    label: 'Scripted host',
    runAction: () => Promise.reject(new Error('not used')),
    runCheck: async () => checkReport,
    overlay: shower,
  };
}

/** Static markup of the panel as the store is now (server rendering reads a store's initial state). */
function render(store: PanelStore, flavor: UiFlavor = 'html'): string {
  const now = createStore<PanelState>()(() => store.getState());
  const panel = createElement(LoupePanel, { store: now, capabilities: CAPABILITIES, hostLabel: 'Scripted host' });
  return renderToStaticMarkup(createElement(UiFlavorContext.Provider, { value: flavor }, panel));
}

test('Photoshop: after the check a "Show changes on the image" button; it writes the hidden group once and says how to see it', async () => {
  const writes: CheckOverlay[] = [];
  const progress: string[] = [];
  const store = createPanelStore(host({ kind: 'layers', write: async (o, job) => { writes.push(o); job.progress(0.5, 'Writing "Fidelity · structure changed"'); return writtenGroup; } }), CAPABILITIES);
  store.subscribe((s) => { if (s.running) progress.push(`${s.running.title}: ${s.running.message}`); });
  await store.getState().run('fidelity-check');
  assert.deepEqual(store.getState().changes, { viewId: 'structure', shown: false, written: null });
  let html = render(store);
  assert.match(html, /data-testid="show-changes"[^>]*>Show changes on the image</);
  assert.match(html, /Nothing was written to the document\./);
  for (const flavor of ['spectrum', 'html'] as const) assert.match(render(store, flavor), /Show changes on the image/);

  await store.getState().showChanges();
  assert.deepEqual(writes, [overlay], 'the report\'s own heatmaps');
  assert.ok(progress.includes('Show changes on the image: Writing "Fidelity · structure changed"'), progress.join(' | '));
  assert.equal(store.getState().changes?.written, writtenGroup);
  assert.equal(store.getState().running, null);
  html = render(store);
  assert.match(html, /Written, hidden: group “Loupe · Fidelity”/);
  assert.equal((html.match(/data-testid="written-layer"/g) ?? []).length, 3);
  assert.match(html, /never reaches an export/);
  assert.match(html, /Undo it in one step: “Loupe: Fidelity heatmaps”/);
  assert.match(html, /background-color:rgb\(255, 0, 0\)/, 'the legend shows the colours');
  assert.match(html, /detail lost/);
  assert.doesNotMatch(html, /Nothing was written to the document/);
  assert.doesNotMatch(html, /data-testid="show-changes"/, 'written once: no second button');

  await store.getState().showChanges();
  assert.equal(writes.length, 1, 'a second click writes no second group');
});

test('Photoshop: Cancel while writing says nothing was changed and offers the button again; an error is one line', async () => {
  let proceed: () => void = () => {};
  let fail = false;
  const store = createPanelStore(host({
    kind: 'layers',
    write: async (_o, job: Job) => {
      if (fail) throw new Error('Another document is active than the one checked: bring it back to the front.\n  at x');
      await new Promise<void>((resolve) => { proceed = resolve; });
      throwIfCancelled(job.signal);
      return writtenGroup;
    },
  }), CAPABILITIES);
  await store.getState().run('fidelity-check');
  const writing = store.getState().showChanges();
  assert.equal(store.getState().running?.title, 'Show changes on the image');
  store.getState().cancel();
  proceed();
  await writing;
  assert.equal(store.getState().note, 'Cancelled: nothing was changed.');
  assert.equal(store.getState().changes?.written, null);
  assert.match(render(store), /data-testid="show-changes"/);
  fail = true;
  await store.getState().showChanges();
  assert.equal(store.getState().error, 'Another document is active than the one checked: bring it back to the front.');
});

test('browser: the toggle draws the chosen heatmap over the preview and takes it off; a new run takes it off too', async () => {
  const shown: (string | null)[] = [];
  const store = createPanelStore(host({ kind: 'preview', show: (o, viewId) => { assert.equal(o, overlay); shown.push(viewId); } }), CAPABILITIES);
  await store.getState().run('fidelity-check');
  assert.match(render(store), /data-testid="changes-view"/);
  await store.getState().showChanges();
  assert.deepEqual(shown, ['structure']);
  assert.equal(store.getState().changes?.shown, true);
  let html = render(store);
  assert.match(html, />Hide changes</);
  assert.match(html, /data-testid="changes-legend"/);
  store.getState().setChangesView('colour');
  assert.deepEqual(shown, ['structure', 'colour'], 'the other view is drawn at once');
  assert.match(render(store), /ΔE00 2: seen at a glance/);
  store.getState().hideChanges();
  assert.deepEqual(shown, ['structure', 'colour', null]);
  html = render(store);
  assert.match(html, />Show changes on the image</);
  assert.doesNotMatch(html, /data-testid="changes-legend"/);

  await store.getState().showChanges();
  await store.getState().run('fidelity-check');
  assert.equal(shown.at(-1), null, 'the heatmap of the replaced outcome is taken off');
  assert.equal(store.getState().changes?.shown, false);
});

test('browser: a stale check is refused in words, and nothing shows', async () => {
  const store = createPanelStore(host({ kind: 'preview', show: () => { throw new Error('The document changed since the check: run the Fidelity check again to see its changes.'); } }), CAPABILITIES);
  await store.getState().run('fidelity-check');
  await store.getState().showChanges();
  assert.equal(store.getState().error, 'The document changed since the check: run the Fidelity check again to see its changes.');
  assert.equal(store.getState().changes?.shown, false);
});

test('no control where the host cannot show changes, or the report has no heatmaps', async () => {
  for (const h of [host(undefined), host({ kind: 'layers', write: async () => writtenGroup }, report(false))]) {
    const store = createPanelStore(h, CAPABILITIES);
    await store.getState().run('fidelity-check');
    assert.equal(store.getState().outcome?.kind, 'checked');
    assert.doesNotMatch(render(store), /show-changes/);
  }
});
