/**
 * The Photoshop host: runs a panel action on the active layer of the active document. Checks first and
 * refuses in plain words (nothing changed); then one executeAsModal, one history step named after the
 * action: read the layer (and the selection as the jewelry mask), plan with the engine, write the recipe.
 */
import { toRgba8, type Mask, type RgbaImage } from '../../engine/image';
import { CancelledError, throwIfCancelled, yieldToUi, type ActionInput, type ActionOutcome, type ActionRequest, type BackgroundHost, type CheckReport, type PlannedAction, type CheckRequest, type Host, type Job } from '../../../panels/host';
import { inModalScope, inOneHistoryStep } from './oneHistoryStep';
import type { PhotoshopModule, PsLayer } from './photoshopApi';
import { readAlphaChannel, readComposite, readDocumentPreview, readLayerImage, readSelectionMask } from './readTarget';
import { refusalForDocument } from './refusals';
import { writeRecipe } from './writeRecipe';
import { showingHeatmap, writeCheckOverlay, type CheckedTarget } from './writeCheckOverlay';
import { FIDELITY_GROUP } from '../../engine/fidelity/overlayRecipe';
import type { LoadedMaskModel } from '../../inference/panelMaskModel';
import type { KeyStore } from '../../../panels/keyStore';
import { missingDomainProblem } from '../generators/networkDomains';
import { runGenerativeFill } from './runGenerativeFill';

const HOW_TO_GIVE_MASK = 'select the jewelry (Select › Subject, then refine the edge), then run again';
const howToGiveStones = (channel: string) => `select the stones and save them as a channel named "${channel}" (Select › Save Selection)`;

export interface PhotoshopHost extends Host {
  /** JPEG data URL of the document as it shows now, or null when there is none (or it is not RGB). */
  preview(maxSide: number): Promise<string | null>;
}

export interface PhotoshopHostOptions {
  /** Loupe's mask model from the plugin folder (pluginFiles.ts); absent, actions fall back to other masks. */
  readonly maskModel?: () => Promise<LoadedMaskModel>;
  /** Provider API keys (secureKeyStore.ts over UXP's secure storage). */
  readonly keys?: KeyStore;
  /** The open-file dialog for text files (textFilePicker.ts). */
  readonly openTextFile?: BackgroundHost['openTextFile'];
}

export function createPhotoshopHost(ps: PhotoshopModule, options: PhotoshopHostOptions = {}): PhotoshopHost {
  let checked: CheckedTarget | null = null; // what the last check compared, where its heatmaps go
  return {
    kind: 'photoshop',
    label: `Photoshop ${ps.app.version ?? ''}`.trim(),

    async runAction(request: ActionRequest, job: Job): Promise<ActionOutcome> {
      const doc = ps.app.documents.length > 0 ? ps.app.activeDocument : null;
      const refusal = refusalForDocument(doc);
      if (refusal || !doc) throw new Error(refusal ?? 'Open a photo first.');
      const layer = doc.activeLayers[0];
      throwIfCancelled(job.signal);
      const target = { documentID: doc.id, sourceLayerId: layer.id };
      const readTarget = async () => ({ image: await readLayerImage(ps, doc, layer), jewelryMask: await readSelectionMask(ps, doc) });
      const inputOf = (image: RgbaImage, jewelryMask: Mask | undefined): ActionInput => ({
        image, jewelryMask, jewelryMaskSource: jewelryMask ? 'your selection' : undefined, howToGiveMask: HOW_TO_GIVE_MASK, maskModel: options.maskModel,
      });
      const write = async (planned: PlannedAction, selection: Mask | undefined, report: (fraction: number, message: string) => void, from: number): Promise<ActionOutcome> => {
        await writeRecipe(ps, target, planned.recipe, {
          signal: job.signal, progress: (fraction, message) => report(from + (1 - from) * fraction, message), restoreSelection: selection,
        });
        return {
          summary: planned.summary,
          historyName: request.historyName,
          groupName: planned.recipe.groupName,
          layers: planned.recipe.layers.map((l) => l.name),
          selections: (planned.recipe.selections ?? []).map((s) => s.name),
        };
      };

      if (request.waitsOnServer) {
        // Read (a short modal scope, no history), wait on the server with Photoshop usable, then write in one
        // history step, refused unless the same photo layer still holds the same pixels.
        const read = await inModalScope(ps, request.historyName, async () => {
          job.progress(0.02, `Reading "${layer.name}"`);
          return readTarget();
        });
        throwIfCancelled(job.signal);
        await yieldToUi();
        const planned = await request.plan(inputOf(read.image, read.jewelryMask), {
          signal: job.signal, progress: (fraction, message) => job.progress(0.05 + 0.8 * fraction, message),
        });
        throwIfCancelled(job.signal);
        return inOneHistoryStepFor(ps, doc.id, request.historyName, async (report) => {
          report(0.85, `Checking "${layer.name}" is as it was`);
          const changed = await photoChangedSince(ps, doc.id, layer, read.image);
          if (changed) throw new Error(changed);
          return write(planned, read.jewelryMask, report, 0.87);
        }, job);
      }

      return inOneHistoryStepFor(ps, doc.id, request.historyName, async (report) => {
        report(0.02, `Reading "${layer.name}"`);
        const { image, jewelryMask } = await readTarget();
        throwIfCancelled(job.signal);
        await yieldToUi();
        const planned = await request.plan(inputOf(image, jewelryMask), {
          signal: job.signal, progress: (fraction, message) => report(0.1 + 0.5 * fraction, message),
        });
        throwIfCancelled(job.signal);
        return write(planned, jewelryMask, report, 0.6);
      }, job);
    },

    async runCheck(request: CheckRequest, job: Job): Promise<CheckReport> {
      const doc = ps.app.documents.length > 0 ? ps.app.activeDocument : null;
      const refusal = refusalForDocument(doc);
      if (refusal || !doc) throw new Error(refusal ?? 'Open a photo first.');
      const layer = doc.activeLayers[0];
      const heatmap = showingHeatmap(doc.layers);
      if (heatmap) throw new Error(`The heatmap "${heatmap}" of an earlier check is showing and would be measured as a change: turn it off in the ${FIDELITY_GROUP} group, then check again.`);
      throwIfCancelled(job.signal);
      checked = null;
      // Reads only: a modal scope for the Imaging API, no history step (nothing changes).
      return inModalScope(ps, request.name, async (context) => {
        const report = (fraction: number, message: string) => {
          job.progress(fraction, message);
          context.reportProgress({ value: fraction, commandName: message });
          if (context.isCancelled) throw new CancelledError();
        };
        report(0.02, `Reading "${layer.name}" and the document`);
        const original = toRgba8(await readLayerImage(ps, doc, layer));
        const result = await readComposite(ps, doc);
        const jewelryMask = await readSelectionMask(ps, doc);
        const stonesMask = request.stonesChannel ? await readAlphaChannel(ps, doc, context, request.stonesChannel) : undefined;
        throwIfCancelled(job.signal);
        const checkReport = await request.check(
          {
            original, result, jewelryMask, jewelryMaskSource: jewelryMask ? 'your selection' : undefined, howToGiveMask: HOW_TO_GIVE_MASK, maskModel: options.maskModel,
            stonesMask, stonesMaskSource: stonesMask ? `the "${request.stonesChannel}" channel` : undefined,
            howToGiveStones: request.stonesChannel ? howToGiveStones(request.stonesChannel) : undefined,
          },
          { signal: job.signal, progress: (fraction, message) => report(0.1 + 0.9 * fraction, message) },
        );
        checked = { documentID: doc.id, layerId: layer.id };
        return checkReport;
      });
    },

    overlay: { kind: 'layers', write: (overlay, job) => writeCheckOverlay(ps, checked, overlay, job) },

    keys: options.keys,

    background: {
      generativeFill: (request, job) => runGenerativeFill(ps, request, job, { howToGiveMask: HOW_TO_GIVE_MASK, maskModel: options.maskModel }),
      // UXP refuses hosts the manifest does not declare; say which one before the request fails silently.
      checkNetworkAccess(url) {
        const problem = missingDomainProblem(url);
        if (problem) throw new Error(problem);
      },
      openTextFile: options.openTextFile,
    },

    async preview(maxSide: number): Promise<string | null> {
      const doc = ps.app.documents.length > 0 ? ps.app.activeDocument : null;
      // encodeImageData needs RGB; the active layer does not matter (after a run it is Loupe's group).
      if (!doc || doc.mode !== 'RGBColorMode') return null;
      return inModalScope(ps, 'Loupe preview', () => readDocumentPreview(ps, doc, maxSide));
    },
  };
}

/**
 * Why a result planned from `before` may no longer be written: the document closed or is no longer the
 * active one, the photo layer went, or its pixels changed while the server worked. Null when all is as read.
 */
async function photoChangedSince(ps: PhotoshopModule, documentID: number, layer: PsLayer, before: RgbaImage): Promise<string | null> {
  const doc = ps.app.documents.length > 0 ? ps.app.activeDocument : null;
  if (!doc || doc.id !== documentID) return 'The photo\'s document is no longer the active one: bring it to the front and run again (nothing was written).';
  let now: RgbaImage;
  try {
    now = await readLayerImage(ps, doc, layer);
  } catch {
    return `The layer "${layer.name}" is gone: select the photo layer and run again (nothing was written).`;
  }
  return samePixels(now, before) ? null : `"${layer.name}" was edited while the scene was generated: run again on the photo as it is now (nothing was written).`;
}

function samePixels(a: RgbaImage, b: RgbaImage): boolean {
  if (a.width !== b.width || a.height !== b.height || a.depth !== b.depth || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

/** Progress goes both to the panel and to Photoshop's own progress bar; Photoshop's Cancel aborts the job. */
function inOneHistoryStepFor<T>(
  ps: PhotoshopModule,
  documentID: number,
  historyName: string,
  work: (report: (fraction: number, message: string) => void) => Promise<T>,
  job: Job,
): Promise<T> {
  return inOneHistoryStep(ps, documentID, historyName, (context) => {
    const report = (fraction: number, message: string) => {
      job.progress(fraction, message);
      context.reportProgress({ value: fraction, commandName: message });
      if (context.isCancelled) throw new CancelledError();
    };
    return work(report);
  });
}
