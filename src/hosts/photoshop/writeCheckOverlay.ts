/**
 * "Show changes on the image" in Photoshop: the last check's heatmaps written as the hidden
 * "Loupe · Fidelity" group above the photo layer it compared, through the recipe writer, as one history
 * step. Hidden, because hidden layers never reach an export or a flattened copy; the retoucher turns one on.
 * Heatmaps of an earlier check on the same photo are replaced. Refused, with nothing written, when the
 * document is no longer the one checked.
 */
import { CancelledError, type ActionOutcome, type CheckOverlay, type Job } from '../../../panels/host';
import { inOneHistoryStep } from './oneHistoryStep';
import type { PhotoshopModule, PsLayer } from './photoshopApi';
import { loupeGroupsAbove, writeRecipe } from './writeRecipe';
import { FIDELITY_GROUP } from '../../engine/fidelity/overlayRecipe';

export const OVERLAY_HISTORY_NAME = 'Loupe: Fidelity heatmaps';

/** What the check compared: the document and its photo layer. */
export interface CheckedTarget {
  readonly documentID: number;
  readonly layerId: number;
}

const CHECK_AGAIN = 'run the Fidelity check again, then show its changes';

export async function writeCheckOverlay(ps: PhotoshopModule, checked: CheckedTarget | null, overlay: CheckOverlay, job: Job): Promise<ActionOutcome> {
  const doc = ps.app.documents.length > 0 ? ps.app.activeDocument : null;
  if (!checked) throw new Error(`There is no check to show: ${CHECK_AGAIN}.`);
  if (!doc || doc.id !== checked.documentID) throw new Error(`Another document is active than the one checked: bring it back to the front, or ${CHECK_AGAIN}.`);
  if (doc.width !== overlay.width || doc.height !== overlay.height) throw new Error(`The document's size changed since the check: ${CHECK_AGAIN}.`);
  if (!hasLayer(doc.layers, checked.layerId)) throw new Error(`The photo layer the check compared is gone: ${CHECK_AGAIN}.`);
  if (job.signal.aborted) throw new CancelledError();

  return inOneHistoryStep(ps, doc.id, OVERLAY_HISTORY_NAME, async (context) => {
    const report = (fraction: number, message: string) => {
      job.progress(fraction, message);
      context.reportProgress({ value: fraction, commandName: message });
      if (context.isCancelled) throw new CancelledError();
    };
    report(0.02, 'Drawing the heatmaps');
    const recipe = overlay.layers();
    if (recipe.layers.some((l) => l.visible !== false)) throw new Error('Loupe built a visible heatmap layer: nothing was written (please report this).');
    // The heatmaps of an earlier check on this photo are replaced, not stacked (undo brings them back).
    for (const earlier of loupeGroupsAbove(doc, checked.layerId).filter((g) => g.name === FIDELITY_GROUP)) await earlier.delete();
    await writeRecipe(ps, { documentID: doc.id, sourceLayerId: checked.layerId }, recipe, {
      signal: job.signal,
      progress: (fraction, message) => report(0.1 + 0.9 * fraction, message),
    });
    return {
      summary: { headline: 'Changes written as hidden layers', details: [] },
      historyName: OVERLAY_HISTORY_NAME,
      groupName: recipe.groupName,
      layers: recipe.layers.map((l) => l.name),
      selections: [],
    };
  });
}

/**
 * A heatmap of an earlier check that the retoucher turned on (a visible layer in a visible "Loupe · Fidelity"
 * group), or null. A check reads the document as it shows, so a showing heatmap would be measured as a change.
 */
export function showingHeatmap(layers: ArrayLike<PsLayer>): string | null {
  for (const layer of Array.from(layers)) {
    if (!layer.visible || !layer.layers) continue;
    if (layer.name === FIDELITY_GROUP) {
      const shown = Array.from(layer.layers).find((l) => l.visible);
      if (shown) return shown.name;
    } else {
      const inside = showingHeatmap(layer.layers);
      if (inside) return inside;
    }
  }
  return null;
}

function hasLayer(layers: ArrayLike<PsLayer>, id: number): boolean {
  return Array.from(layers).some((l) => l.id === id || (l.layers ? hasLayer(l.layers, id) : false));
}
