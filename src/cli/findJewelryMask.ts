/**
 * The jewelry mask a CLI command works inside when the retoucher gives none: on a plain white or grey
 * backdrop the backdrop segmentation (measured the more accurate of the two there), on anything else
 * (skin, fabric, a busy scene) Loupe's mask model. `loupe retouch`, `shadow`, `sharpen` and `fidelity`
 * all find the piece this way, so a ring on a hand works with each of them, as it does in the panel.
 */
import type { Mask, RgbaImage } from '../engine/image';
import { PlainBackdropError, segmentOnPlainBackdrop } from '../engine/segmentation/plainBackdropMask';
import { readMaskFile } from '../hosts/psd/readImageFile';
import { predictJewelryMask } from './maskCommand';

export type JewelryMaskSource = 'given' | 'plain-backdrop segmentation' | 'mask model';

export interface FoundJewelryMask {
  readonly mask: Mask;
  readonly source: JewelryMaskSource;
  readonly notes: readonly string[];
}

/** Neither the backdrop finder nor the model found a piece: bad input for the command, said in one line. */
export class NoJewelryFoundError extends Error {
  constructor() {
    super('no jewelry found in the photo: give its mask with --mask (white = jewelry)');
    this.name = 'NoJewelryFoundError';
  }
}

const MODEL_MASK_NOTE =
  'the backdrop is not plain, so the piece was found by Loupe\'s mask model: check the "Jewelry" selection and refine it if needed';

export async function findJewelryMask(image: RgbaImage, maskPath?: string, signal?: AbortSignal): Promise<FoundJewelryMask> {
  if (maskPath) return { mask: await readMaskFile(maskPath, image.width, image.height), source: 'given', notes: [] };
  try {
    const found = segmentOnPlainBackdrop(image);
    return { mask: found.mask, source: 'plain-backdrop segmentation', notes: found.warnings };
  } catch (err) {
    if (!(err instanceof PlainBackdropError) || err.reason !== 'not-plain') throw err;
  }
  const { result } = await predictJewelryMask(image, signal);
  if (!result.found) throw new NoJewelryFoundError();
  return { mask: result.mask, source: 'mask model', notes: [MODEL_MASK_NOTE, ...result.warnings] };
}
