/**
 * The jewelry mask an action works with: the one the retoucher gave (selection, mask file), else found
 * automatically on a plain backdrop. Errors say what to do, in the host's words (`howToGiveMask`).
 */
import type { Mask } from '../../src/engine/image';
import { PlainBackdropError, segmentOnPlainBackdrop } from '../../src/engine/segmentation/plainBackdropMask';
import type { ActionInput } from '../host';

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
