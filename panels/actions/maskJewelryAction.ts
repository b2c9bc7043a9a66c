/**
 * "Mask jewelry" as a panel action: Loupe's own model finds the piece and its stones; they are saved as the
 * channels "Jewelry" and "Stones (rough)" (Select › Load Selection) and the jewelry is left selected, ready
 * for Select and Mask or a layer mask — what a retoucher does by hand first. No layers are written.
 * With a selection (a rough lasso or marquee around one piece, as for Photoshop's Object Selection), the
 * model looks only there and the mask stays inside it: one ring of a stack, or a piece on a busy lifestyle shot.
 * The stones channel says "rough" because it is (its median IoU with the exact stones: stonesNeedMask.ts), and
 * the model's metal family is not shown at all: 0.1.0 said "white metal" for every piece, and 0.2.0 to
 * 0.8.0, right on 15 of 15 real photos, never recognise rose gold (scripts/eval-metal-family.ts). Retouch
 * metal and the fidelity check take from it only a near-sure white metal or gold, where no neutral backdrop
 * tells the metal (src/engine/metal/modelFamilyReading.ts).
 */
import { CancelledError as ModelCancelledError, segmentWithModel } from '../../src/engine/segmentation/modelMask';
import { CHECK_STONES_CHANNEL } from './fidelityCheckAction';
import { MODEL_STONES_MEASURED } from '../../src/engine/fidelity/stonesNeedMask';
import { CancelledError, throwIfCancelled, yieldToUi, type ActionRequest, type CancelSignal, type PlannedAction } from '../host';

export const JEWELRY_CHANNEL = 'Jewelry';
export const STONES_CHANNEL = 'Stones (rough)';

export function maskJewelryRequest(): ActionRequest {
  return {
    historyName: 'Loupe: Mask jewelry',
    async plan(input, { signal, progress }): Promise<PlannedAction> {
      if (!input.maskModel) throw new Error("Loupe's mask model is not available here: reinstall Loupe.");
      progress(0, 'Loading the mask model');
      await yieldToUi();
      throwIfCancelled(signal);
      const model = await input.maskModel();
      const within = input.jewelryMask;
      const finding = within ? `Finding the jewelry inside ${input.jewelryMaskSource ?? 'the selection'}` : 'Finding the jewelry';
      progress(0.1, finding);
      await yieldToUi();
      throwIfCancelled(signal);
      const result = await runModelHearingCancel(signal, () => segmentWithModel(input.image, model.network, {
        within,
        signal: abortSignalOf(signal),
        onProgress: (f) => progress(0.1 + 0.85 * f, f < 0.5 ? finding : 'Tracing chains, prongs and edges'),
      }));
      throwIfCancelled(signal);
      if (!result.found) {
        throw new Error(within
          ? `Loupe's model found no jewelry inside ${input.jewelryMaskSource ?? 'the selection'}, so nothing was written: draw the selection around the piece, or deselect (Select › Deselect) to let Loupe look at the whole photo.`
          : "Loupe's model found no jewelry in this photo, so nothing was written: check that the photo layer is selected, or select the piece by hand.");
      }
      const hasStones = result.stones.data.some((v) => v >= 128);
      progress(1, 'Found');
      return {
        recipe: {
          groupName: 'Loupe · Mask jewelry',
          width: input.image.width,
          height: input.image.height,
          layers: [],
          selections: [
            { name: JEWELRY_CHANNEL, mask: result.mask },
            ...(hasStones ? [{ name: STONES_CHANNEL, mask: result.stones }] : []),
          ],
          activeSelection: JEWELRY_CHANNEL,
        },
        summary: {
          headline: within ? 'Jewelry masked inside the selection' : 'Jewelry masked',
          details: [
            `The piece covers ${(100 * result.coverage).toFixed(1)} % of the frame; it is selected now`,
            ...(within ? [`Looked only inside ${input.jewelryMaskSource ?? 'the selection'}, and 1 % round it`] : []),
            hasStones
              ? `"${STONES_CHANNEL}" saved as a channel: the model finds stones only roughly (a median overlap of ${Math.round(100 * MODEL_STONES_MEASURED.medianStonesIou)} % with the true stones); refined and renamed "${CHECK_STONES_CHANNEL}", the Fidelity check counts stones from it`
              : 'No stones found',
            `Mask model: ${model.label}`,
            ...result.warnings.map(capitalise),
          ],
        },
      };
    },
  };
}

/** The engine takes an AbortSignal but reads only `aborted`; the panel's own signal has just that. */
export function abortSignalOf(signal: CancelSignal): AbortSignal {
  return signal as unknown as AbortSignal;
}

/** The engine's cancel becomes the panel's, which the panel shows as a quiet note. */
export async function runModelHearingCancel<T>(signal: CancelSignal, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ModelCancelledError || signal.aborted) throw new CancelledError();
    throw error;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
