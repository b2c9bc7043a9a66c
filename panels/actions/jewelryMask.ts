/**
 * The jewelry mask an action works with: the one the retoucher gave (selection, mask file), else found
 * automatically on a plain backdrop, else (Retouch metal, on a busy backdrop) Loupe's mask model where the
 * host ships it. Errors say what to do, in the host's words (`howToGiveMask`).
 */
import type { Mask } from '../../src/engine/image';
import { segmentWithModel } from '../../src/engine/segmentation/modelMask';
import { PlainBackdropError, segmentOnPlainBackdrop } from '../../src/engine/segmentation/plainBackdropMask';
import type { LoadedMaskModel } from '../../src/inference/panelMaskModel';
import type { ActionInput, CancelSignal } from '../host';
import { abortSignalOf, runModelHearingCancel } from './maskJewelryAction';

export type MaskInput = Pick<ActionInput, 'image' | 'jewelryMask' | 'jewelryMaskSource' | 'howToGiveMask'>;

export interface ResolvedMask {
  readonly mask: Mask;
  /** In words, for the summary: "your selection", "found automatically on the plain backdrop". */
  readonly source: string;
  readonly warnings: readonly string[];
}

/** The backdrop finder's refusal on a busy backdrop, where Loupe's mask model can take over. */
class NotPlainBackdropError extends Error {}

const WHY_NOT_FOUND: Readonly<Record<PlainBackdropError['reason'], string>> = {
  'not-plain': 'the backdrop is not plain enough',
  'nothing-found': 'nothing stands out from the backdrop',
  'fills-frame': 'the piece seems to fill the frame',
};

export function resolveJewelryMask(input: MaskInput): ResolvedMask {
  const given = input.jewelryMask;
  if (given) {
    const source = input.jewelryMaskSource ?? 'the mask you gave';
    if (!given.data.some((v) => v >= 128)) throw new Error(`The jewelry mask from ${source} is empty: ${input.howToGiveMask}.`);
    return { mask: given, source, warnings: [] };
  }
  try {
    const found = segmentOnPlainBackdrop(input.image);
    return { mask: found.mask, source: 'found automatically on the plain backdrop', warnings: found.warnings };
  } catch (error) {
    if (error instanceof PlainBackdropError) {
      const message = `Loupe could not find the piece on its own (${WHY_NOT_FOUND[error.reason]}): ${input.howToGiveMask}.`;
      throw error.reason === 'not-plain' ? new NotPlainBackdropError(message) : new Error(message);
    }
    throw error;
  }
}

/**
 * As the command line decides (src/cli/retouchCommand.ts): the retoucher's mask when given; on a plain
 * backdrop the backdrop finder (measured the more accurate of the two there); on a busy backdrop Loupe's
 * mask model, where the host ships it.
 */
export async function resolveJewelryMaskWithModel(
  input: MaskInput & Pick<ActionInput, 'maskModel'>,
  signal: CancelSignal,
  onProgress?: (fraction: number) => void,
  /** What to tell the retoucher about a mask the model found (the actions save it as the "Jewelry" channel). */
  modelNote = 'the backdrop is not plain, so the piece was found by Loupe\'s mask model: check the saved "Jewelry" channel and refine it if needed',
): Promise<ResolvedMask> {
  if (input.jewelryMask || !input.maskModel) return resolveJewelryMask(input);
  try {
    return resolveJewelryMask(input);
  } catch (error) {
    if (!(error instanceof NotPlainBackdropError)) throw error;
  }
  let model: LoadedMaskModel;
  try {
    model = await input.maskModel();
  } catch (error) {
    throw new Error(`The backdrop is not plain and Loupe's mask model could not run (${(error as Error).message.replace(/\.$/, '')}): ${input.howToGiveMask}.`, { cause: error });
  }
  const found = await runModelHearingCancel(signal, () => segmentWithModel(input.image, model.network, { signal: abortSignalOf(signal), onProgress }));
  if (!found.found) throw new Error(`Loupe's mask model found no jewelry on this busy backdrop: ${input.howToGiveMask}.`);
  return {
    mask: found.mask,
    source: `Loupe's mask model (${model.label})`,
    warnings: [modelNote, ...found.warnings],
  };
}
