/**
 * The browser host: the panel's actions run on the in-memory document. Same contract as Photoshop: it
 * refuses in plain words with nothing changed, reports progress, honours Cancel between steps, and writes
 * the recipe only once it is complete (the document is untouched by a failed or cancelled run).
 */
import { toRgba8 } from '../../engine/image';
import { throwIfCancelled, yieldToUi, type ActionOutcome, type ActionRequest, type CheckReport, type CheckRequest, type Host, type Job } from '../../../panels/host';
import { renderDocument, type BrowserDocument } from './browserDocument';
import type { LoadedMaskModel } from '../../inference/panelMaskModel';
import { memoryKeyStore } from '../../../panels/keyStore';
import { pickTextFile } from './pickTextFile';

const HOW_TO_GIVE_MASK = 'open its mask (white = jewelry) with "Open mask…", then run again';

export interface BrowserHostOptions {
  /** Loupe's mask model served beside the harness (servedMaskModel); absent, actions fall back to other masks. */
  readonly maskModel?: () => Promise<LoadedMaskModel>;
}

export function createBrowserHost(document: BrowserDocument, options: BrowserHostOptions = {}): Host {
  // The document as the last check saw it: its heatmaps describe that state only.
  let checked: { readonly photo: unknown; readonly revision: number } | null = null;
  return {
    kind: 'browser',
    label: 'Browser harness',
    // Keys stay in this page's memory: a harness is for trying Loupe, not for keeping secrets.
    keys: memoryKeyStore(),
    background: { openTextFile: pickTextFile },
    async runAction(request: ActionRequest, job: Job): Promise<ActionOutcome> {
      const { photo, mask } = document.getState();
      if (!photo) throw new Error('Open a photo first ("Open photo…"): Loupe works on the opened document.');
      job.progress(0.02, `Reading "${photo.name}"`);
      await yieldToUi();
      throwIfCancelled(job.signal);
      const planned = await request.plan(
        {
          image: photo.image, jewelryMask: mask?.mask, jewelryMaskSource: mask ? `the mask file "${mask.name}"` : undefined, howToGiveMask: HOW_TO_GIVE_MASK,
          maskModel: options.maskModel,
        },
        { signal: job.signal, progress: (fraction, message) => job.progress(0.05 + 0.85 * fraction, message) },
      );
      await yieldToUi();
      throwIfCancelled(job.signal);
      job.progress(0.95, 'Writing layers');
      if (document.getState().photo !== photo) throw new Error('Another photo was opened meanwhile: run the action again on it.');
      document.getState().writeGroup(planned.recipe);
      job.progress(1, 'Written');
      return {
        summary: planned.summary,
        historyName: request.historyName,
        groupName: planned.recipe.groupName,
        layers: planned.recipe.layers.map((l) => l.name),
        selections: (planned.recipe.selections ?? []).map((s) => s.name),
      };
    },

    async runCheck(request: CheckRequest, job: Job): Promise<CheckReport> {
      const state = document.getState();
      const { photo, mask } = state;
      if (!photo) throw new Error('Open a photo first ("Open photo…"), run an action, then check it.');
      checked = null;
      state.setOverlay(null);
      job.progress(0.02, 'Rendering the document');
      await yieldToUi();
      throwIfCancelled(job.signal);
      const result = renderDocument(state);
      if (!result) throw new Error('Open a photo first ("Open photo…").');
      const report = await request.check(
        {
          original: toRgba8(photo.image), result, jewelryMask: mask?.mask, jewelryMaskSource: mask ? `the mask file "${mask.name}"` : undefined, howToGiveMask: HOW_TO_GIVE_MASK,
          maskModel: options.maskModel,
        },
        { signal: job.signal, progress: (fraction, message) => job.progress(0.05 + 0.95 * fraction, message) },
      );
      checked = { photo, revision: state.revision };
      return report;
    },

    overlay: {
      kind: 'preview',
      show(overlay, viewId) {
        const now = document.getState();
        if (viewId === null) return now.setOverlay(null);
        if (!checked || now.photo !== checked.photo || now.revision !== checked.revision) {
          throw new Error('The document changed since the check: run the Fidelity check again to see its changes.');
        }
        now.setOverlay(overlay.heatmap(viewId));
      },
    },
  };
}
