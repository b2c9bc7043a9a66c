/**
 * The jewelry mask a CLI command works inside when the retoucher gives none: Loupe's mask model on every
 * backdrop, and the plain-backdrop finder only where the model cannot help (it found nothing, or it is not
 * installed). The model comes first because it was measured the closer of the two on plain backdrops too:
 * better by IoU on 16 of the 18 synthetic scenes the finder takes and on 6 of the 10 real photos, and Retouch metal
 * inside its mask leaves the metal at median ΔE00 2.01 from the truth against 2.86 inside the finder's
 * (scripts/eval-retouch-metal.ts --mask found). `loupe retouch`, `shadow`, `sharpen` and `fidelity` all
 * find the piece this way, as the panel does (panels/actions/jewelryMask.ts).
 */
import type { Mask, RgbaImage } from '../engine/image';
import type { FamilyProbabilities } from '../engine/metal/modelFamilyReading';
import { familyByName } from '../engine/segmentation/modelMask';
import { PlainBackdropError, segmentOnPlainBackdrop } from '../engine/segmentation/plainBackdropMask';
import { ModelError } from '../hosts/psd/loadMaskModel';
import { readMaskFile } from '../hosts/psd/readImageFile';
import { predictJewelryMask, type MaskModelSession } from './maskCommand';

export type JewelryMaskSource = 'given' | 'plain-backdrop segmentation' | 'mask model';

export interface FoundJewelryMask {
  readonly mask: Mask;
  readonly source: JewelryMaskSource;
  readonly notes: readonly string[];
  /** The metal family the mask model read, when it found the mask. */
  readonly family?: FamilyProbabilities;
}

export interface FindJewelryMaskOptions {
  readonly signal?: AbortSignal;
  /** A batch's model, kept loaded between its photos; without it the model is loaded for this photo alone. */
  readonly model?: MaskModelSession;
  /** Where the mask model lives, when no session is given (tests point it at a folder without one). */
  readonly modelsDir?: string;
}

/** Neither the mask model nor the backdrop finder found a piece: bad input for the command, said in one line. */
export class NoJewelryFoundError extends Error {
  constructor(why: string) {
    super(`no jewelry found in the photo: give its mask with --mask (white = jewelry); ${why}`);
    this.name = 'NoJewelryFoundError';
  }
}

const MODEL_MASK_NOTE = 'the piece was found by Loupe\'s mask model: check the "Jewelry" selection and refine it if needed';

const WHY_FINDER_FAILED: Readonly<Record<PlainBackdropError['reason'], string>> = {
  'not-plain': 'the backdrop is not plain enough to find it from',
  'nothing-found': 'nothing stands out from the backdrop',
  'fills-frame': 'the piece or a scene seems to fill the frame',
};

export async function findJewelryMask(image: RgbaImage, maskPath?: string, options: FindJewelryMaskOptions = {}): Promise<FoundJewelryMask> {
  if (maskPath) return { mask: await readMaskFile(maskPath, image.width, image.height), source: 'given', notes: [] };
  let modelMiss: string;
  try {
    const { result } = options.model
      ? await options.model.predict(image, options.signal)
      : await predictJewelryMask(image, options.signal, options.modelsDir);
    if (result.found) return { mask: result.mask, source: 'mask model', notes: [MODEL_MASK_NOTE, ...result.warnings], family: familyByName(result.family) };
    modelMiss = "Loupe's mask model found no jewelry";
  } catch (err) {
    // Only a missing or damaged model falls back; a cancel or a runtime failure is not the photo's fault.
    if (!(err instanceof ModelError)) throw err;
    modelMiss = `Loupe's mask model could not be loaded (${err.message.replace(/\.$/, '')})`;
  }
  try {
    const found = segmentOnPlainBackdrop(image);
    const note = `${modelMiss}, so the piece was found from the plain backdrop: check the "Jewelry" selection and refine it if needed`;
    return { mask: found.mask, source: 'plain-backdrop segmentation', notes: [note, ...found.warnings] };
  } catch (err) {
    if (!(err instanceof PlainBackdropError)) throw err;
    throw new NoJewelryFoundError(`${modelMiss}, and ${WHY_FINDER_FAILED[err.reason]}`);
  }
}
