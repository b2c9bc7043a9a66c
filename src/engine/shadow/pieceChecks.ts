/**
 * Is this jewelry mask something a helper can work with? Refusals say what is wrong in the retoucher's
 * words and what to do, so a host can show them as they are.
 */
import { assertSameSize, type Mask } from '../image';
import { contentBounds, type PixelWindow } from '../maskWindow';

export type PieceProblem = 'empty' | 'whole-frame' | 'cut-by-frame';

export class PieceError extends Error {
  constructor(readonly problem: PieceProblem, message: string) {
    super(message);
    this.name = 'PieceError';
  }
}

/** Coverage at and above which a mask pixel counts as the piece. */
export const PIECE_COVERAGE = 128;

export interface PieceCheckOptions {
  /** Refuse a piece that touches the frame edge (a shadow needs the whole piece in frame). */
  readonly wholePieceInFrame?: boolean;
}

/** The piece's bounds (pixels with coverage ≥ ½), or a PieceError. */
export function checkPiece(image: { width: number; height: number }, jewelryMask: Mask, options: PieceCheckOptions = {}): PixelWindow {
  assertSameSize('the jewelry mask', image, jewelryMask);
  const { width, height } = jewelryMask;
  const bounds = contentBounds(jewelryMask, 0, PIECE_COVERAGE);
  if (!bounds) {
    throw new PieceError('empty', 'the jewelry mask is empty (all black): paint the piece white in the mask, or leave out --mask to find it on a plain backdrop');
  }
  let covered = 0;
  for (let i = 0; i < jewelryMask.data.length; i++) if (jewelryMask.data[i] >= PIECE_COVERAGE) covered++;
  if (covered > 0.98 * width * height) {
    throw new PieceError('whole-frame', 'the jewelry mask covers the whole photo: white must be the piece only and black everything else (is the mask inverted?)');
  }
  if (options.wholePieceInFrame) {
    const edges = [
      bounds.y1 >= height ? 'bottom' : '', bounds.y0 <= 0 ? 'top' : '', bounds.x0 <= 0 ? 'left' : '', bounds.x1 >= width ? 'right' : '',
    ].filter(Boolean);
    if (edges.length > 0) {
      throw new PieceError('cut-by-frame', `the piece is cut by the ${edges.join(' and ')} edge of the photo, so there is no room for its shadow: give it more canvas (Image › Canvas Size) or use a frame that shows the whole piece`);
    }
  }
  return bounds;
}
