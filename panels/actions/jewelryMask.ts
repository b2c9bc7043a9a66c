/**
 * The jewelry mask an action works with: the one the retoucher gave (selection, mask file), else Loupe's
 * mask model where the host ships it, else found automatically on a plain backdrop. Errors say what to do,
 * in the host's words (`howToGiveMask`).
 */
import type { Mask } from '../../src/engine/image';
import type { FamilyProbabilities } from '../../src/engine/metal/modelFamilyReading';
import { familyByName, readMetalFamily, segmentWithModel } from '../../src/engine/segmentation/modelMask';
import { PlainBackdropError, segmentOnPlainBackdrop } from '../../src/engine/segmentation/plainBackdropMask';
import type { LoadedMaskModel } from '../../src/inference/panelMaskModel';
import { yieldToUi, type ActionInput, type CancelSignal } from '../host';
import { abortSignalOf, runModelHearingCancel } from './maskJewelryAction';

export type MaskInput = Pick<ActionInput, 'image' | 'jewelryMask' | 'jewelryMaskSource' | 'howToGiveMask'>;

export interface ResolvedMask {
  readonly mask: Mask;
  /** In words, for the summary: "your selection", "found automatically on the plain backdrop". */
  readonly source: string;
  readonly warnings: readonly string[];
  /** The metal family the mask model read, when it found the mask. */
  readonly family?: FamilyProbabilities;
}

const WHY_NOT_FOUND: Readonly<Record<PlainBackdropError['reason'], string>> = {
  'not-plain': 'the backdrop is not plain enough',
  'nothing-found': 'nothing stands out from the backdrop',
  'fills-frame': 'the piece seems to fill the frame',
};

/** The retoucher's mask, else the backdrop finder's (throws its PlainBackdropError as it is). */
function givenOrFoundOnBackdrop(input: MaskInput): ResolvedMask {
  const given = input.jewelryMask;
  if (given) {
    const source = input.jewelryMaskSource ?? 'the mask you gave';
    if (!given.data.some((v) => v >= 128)) throw new Error(`The jewelry mask from ${source} is empty: ${input.howToGiveMask}.`);
    return { mask: given, source, warnings: [] };
  }
  const found = segmentOnPlainBackdrop(input.image);
  return { mask: found.mask, source: 'found automatically on the plain backdrop', warnings: found.warnings };
}

/** Without a mask model: the retoucher's mask, else the backdrop finder's, else what to do, in words. */
export function resolveJewelryMask(input: MaskInput): ResolvedMask {
  try {
    return givenOrFoundOnBackdrop(input);
  } catch (error) {
    if (!(error instanceof PlainBackdropError)) throw error;
    throw new Error(`Loupe could not find the piece on its own (${WHY_NOT_FOUND[error.reason]}): ${input.howToGiveMask}.`);
  }
}

/**
 * As the command line decides (src/cli/findJewelryMask.ts): the retoucher's mask when given; else Loupe's
 * mask model on every backdrop (measured closer than the backdrop finder on plain backdrops too), and the
 * finder where the model found nothing, could not load, or the host ships none.
 */
export async function resolveJewelryMaskWithModel(
  input: MaskInput & Pick<ActionInput, 'maskModel'>,
  signal: CancelSignal,
  onProgress?: (fraction: number) => void,
  /** What to tell the retoucher about a mask the model found (the actions save it as the "Jewelry" channel). */
  modelNote = 'the piece was found by Loupe\'s mask model: check the saved "Jewelry" channel and refine it if needed',
): Promise<ResolvedMask> {
  if (input.jewelryMask || !input.maskModel) return resolveJewelryMask(input);
  let modelMiss = "Loupe's mask model found no jewelry";
  let model: LoadedMaskModel | undefined;
  try {
    model = await input.maskModel();
  } catch (error) {
    modelMiss = `Loupe's mask model could not run (${(error as Error).message.replace(/\.$/, '')})`;
  }
  if (model) {
    const { network, label } = model;
    const found = await runModelHearingCancel(signal, () => segmentWithModel(input.image, network, { signal: abortSignalOf(signal), onProgress }));
    if (found.found) return { mask: found.mask, source: `Loupe's mask model (${label})`, warnings: [modelNote, ...found.warnings], family: familyByName(found.family) };
  }
  try {
    const byBackdrop = givenOrFoundOnBackdrop(input);
    return { ...byBackdrop, warnings: [`${modelMiss}, so the piece was found from the plain backdrop`, ...byBackdrop.warnings] };
  } catch (error) {
    if (!(error instanceof PlainBackdropError)) throw error;
    throw new Error(`Loupe could not find the piece on its own (${modelMiss}, and ${WHY_NOT_FOUND[error.reason]}): ${input.howToGiveMask}.`);
  }
}

/**
 * Reads the metal family with the host's mask model (its whole-frame pass), for Retouch metal on a mask the
 * retoucher gave; null without a model, or when it cannot run (the colour then decides alone).
 */
export function modelFamilyReader(
  input: Pick<ActionInput, 'image' | 'maskModel'>,
  signal: CancelSignal,
  /** Told before the model loads and runs (a second or so), so the panel can say what it is doing. */
  onStart?: () => void,
): (() => Promise<FamilyProbabilities | null>) | null {
  const { maskModel } = input;
  if (!maskModel) return null;
  return async () => {
    onStart?.();
    await yieldToUi();
    let model: LoadedMaskModel;
    try {
      model = await maskModel();
    } catch {
      return null;
    }
    const family = await runModelHearingCancel(signal, () => readMetalFamily(input.image, model.network, { signal: abortSignalOf(signal) }));
    return family && familyByName(family);
  };
}
