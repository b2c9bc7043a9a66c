/**
 * The jewelry mask an action works with: the one the retoucher gave (selection, mask file), else Loupe's
 * mask model where the host ships it, else found automatically on a plain backdrop. Errors say what to do,
 * in the host's words (`howToGiveMask`).
 */
import type { Mask } from '../../src/engine/image';
import { segmentWithModel } from '../../src/engine/segmentation/modelMask';
import { PlainBackdropError, segmentOnPlainBackdrop } from '../../src/engine/segmentation/plainBackdropMask';
import type { ActionInput, CancelSignal } from '../host';
import { abortSignalOf, runModelHearingCancel } from './maskJewelryAction';

export type MaskInput = Pick<ActionInput, 'image' | 'jewelryMask' | 'jewelryMaskSource' | 'howToGiveMask'>;

export interface ResolvedMask {
  readonly mask: Mask;
  /** In words, for the summary: "your selection", "found automatically on the plain backdrop". */
  readonly source: string;
  readonly warnings: readonly string[];
}

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
      throw new Error(`Loupe could not find the piece on its own (${WHY_NOT_FOUND[error.reason]}): ${input.howToGiveMask}.`);
    }
    throw error;
  }
}

/**
 * The retoucher's mask when given; otherwise the model's, falling back to the plain-backdrop finder (with a
 * line saying why) when the model cannot be loaded or finds nothing.
 */
export async function resolveJewelryMaskWithModel(
  input: MaskInput & Pick<ActionInput, 'maskModel'>,
  signal: CancelSignal,
  onProgress?: (fraction: number) => void,
): Promise<ResolvedMask> {
  if (input.jewelryMask || !input.maskModel) return resolveJewelryMask(input);
  let fallbackWhy: string;
  try {
    const model = await input.maskModel();
    const found = await runModelHearingCancel(signal, () => segmentWithModel(input.image, model.network, { signal: abortSignalOf(signal), onProgress }));
    if (found.found) return { mask: found.mask, source: `Loupe's mask model (${model.label})`, warnings: found.warnings };
    fallbackWhy = "Loupe's mask model found no jewelry";
  } catch (error) {
    if (!(error instanceof Error) || error.name === 'CancelledError') throw error;
    fallbackWhy = `Loupe's mask model is unavailable (${error.message.replace(/\.$/, '')})`;
  }
  const backdrop = resolveJewelryMask(input);
  return { ...backdrop, warnings: [`${fallbackWhy}, so the piece was found on the plain backdrop instead`, ...backdrop.warnings] };
}
