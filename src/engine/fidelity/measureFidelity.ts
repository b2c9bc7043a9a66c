/**
 * Everything the fidelity checks look at, measured once: original vs result inside the piece. Judging
 * (thresholds per use) is separate (judgeFidelity.ts), so one measurement can be shown for any tier.
 */
import { createMask, type Mask, type Rgba8Image } from '../image';
import { contentBounds } from '../maskWindow';
import { chooseMetalPeak, estimateCast, measureBackdrop } from '../metal/estimateCast';
import { chromaticityPeaks } from '../metal/chromaticityPeaks';
import { buildMetalMask } from '../metal/metalMask';
import { measureMetal } from '../metal/measureMetal';
import { METALS, type MetalId, type MetalSpec } from '../metal/metalCatalog';
import { confidentFamily, type FamilyProbabilities } from '../metal/modelFamilyReading';
import { measureColour, type ColourMeasures } from './colourMeasures';
import { measureContact, type ContactMeasure } from './contactCheck';
import { buildFidelityFrame, INSIDE, type FidelityFrame } from './fidelityFrame';
import { measureSpill, type SpillMeasure } from './spillMeasure';
import { measureStones, type StoneMeasures } from './stoneMeasures';
import { measureStructure, toneMappedLuma, unclippedWeights, type StructureMeasures } from './structureMeasures';
import { regionCurves } from './channelToneMap';

export interface FidelityInputs {
  /** The piece, 255 = jewelry (antialiased), same size as both images. */
  readonly jewelryMask: Mask;
  /** Stones only; without it stones are not counted (and the metal is told apart by colour). */
  readonly stonesMask?: Mask;
  /** The metal, when known; 'auto' (default) recognises it on the original. */
  readonly metal?: MetalId | 'auto';
  /**
   * The mask model's family probabilities for the original, when it ran: with 'auto' and no neutral backdrop
   * in view, a near-sure white metal or gold decides the family, as in Retouch metal (modelFamilyReading.ts).
   */
  readonly modelFamily?: FamilyProbabilities;
  /**
   * The operation was not meant to touch the piece (new background, shadow): then its pixels must stay
   * real — SSIM ≥ 0.995 and no luma change over 1 code value inside the eroded piece (spec §D.6, §E.8).
   */
  readonly pieceUntouched?: boolean;
}

export interface FidelityMeasures {
  readonly width: number;
  readonly height: number;
  readonly pieceUntouched: boolean;
  readonly frame: FidelityFrame;
  readonly structure: StructureMeasures;
  readonly colour: ColourMeasures | null;
  readonly metal: MetalSpec | null;
  readonly stones: StoneMeasures | null;
  readonly spill: SpillMeasure;
  readonly contactOriginal: ContactMeasure;
  readonly contactResult: ContactMeasure;
  readonly timingsMs: Record<string, number>;
}

/** Margin around the piece: SSIM window (5) + halo neighbourhood (2) + background ring (8) + slack. */
const MARGIN = 16;

/** `recognised`: the metal as recogniseMetal found it for these inputs, when the caller has it already. */
export function measureFidelity(original: Rgba8Image, result: Rgba8Image, inputs: FidelityInputs, recognised?: RecognisedMetal): FidelityMeasures {
  const t: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => { const now = performance.now(); t[name] = Math.round(now - mark); mark = now; };

  const { jewelryMask, stonesMask } = inputs;
  if (stonesMask && (stonesMask.width !== original.width || stonesMask.height !== original.height)) {
    throw new Error(`the stones mask is ${stonesMask.width}×${stonesMask.height} but the image is ${original.width}×${original.height}: they must be the same size`);
  }
  const frame = buildFidelityFrame(original, result, jewelryMask, MARGIN);
  lap('frame');
  const pieceSide = Math.max(frame.w, frame.h) - 2 * MARGIN;
  const { metal, metalMask } = recognised ?? recogniseMetal(original, inputs);
  lap('metal');
  const curves = regionCurves(original, result, jewelryMask, metalMask, frame.win);
  const structure = measureStructure(
    frame, toneMappedLuma(frame, original, curves), unclippedWeights(frame, original), Math.max(16, Math.round(0.05 * pieceSide)),
  );
  lap('structure');

  const colour = metal && metalMask ? measureColour(original, result, metalMask, jewelryMask, frame.win) : null;
  lap('colour');

  let stones: StoneMeasures | null = null;
  if (stonesMask) {
    const { win, w, h } = frame;
    const crop = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) crop.set(stonesMask.data.subarray((win.y0 + y) * original.width + win.x0, (win.y0 + y) * original.width + win.x1), y * w);
    stones = measureStones(frame, crop, structure.csMap, original, result);
  }
  lap('stones');
  const spill = measureSpill(frame, original, result, curves);
  lap('spill');
  const contactOriginal = measureContact(original, jewelryMask);
  const contactResult = measureContact(result, jewelryMask);
  lap('contact');
  return {
    width: original.width, height: original.height, pieceUntouched: inputs.pieceUntouched ?? false, frame, structure, colour, metal, stones, spill,
    contactOriginal, contactResult, timingsMs: t,
  };
}

export interface RecognisedMetal {
  readonly metal: MetalSpec | null;
  readonly metalMask: Mask | null;
  /** Recognised ('auto') by the metal's own colour, no neutral backdrop telling it: where the model's reading counts. */
  readonly byOwnColour: boolean;
}

/** The metal pixels and which metal it is, recognised on the original as Retouch metal does. */
export function recogniseMetal(original: Rgba8Image, inputs: FidelityInputs): RecognisedMetal {
  const { jewelryMask, stonesMask } = inputs;
  const win = contentBounds(jewelryMask, 0, INSIDE);
  if (!win) return { metal: null, metalMask: null, byOwnColour: false };
  const requested = inputs.metal ?? 'auto';
  const piece = measureMetal(original, jewelryMask, win);
  if (!(piece.qualifying > 0)) return { metal: null, metalMask: null, byOwnColour: false };
  const backdrop = measureBackdrop(original, jewelryMask);
  const reading = requested === 'auto' ? confidentFamily(inputs.modelFamily) : null;
  const peak = chooseMetalPeak(chromaticityPeaks(original, jewelryMask, 5, win), backdrop, requested, reading) ?? piece;
  const metalMask = stonesMask
    ? sharpMetal(jewelryMask, stonesMask)
    : buildMetalMask(original, jewelryMask, { metalGr: peak.gr, metalBr: peak.br });
  const onMetal = measureMetal(original, metalMask, win);
  if (!(onMetal.qualifying > 0)) return { metal: requested === 'auto' ? null : METALS[requested], metalMask, byOwnColour: false };
  const cast = estimateCast(onMetal, backdrop, requested, reading);
  return { metal: cast.metal, metalMask, byOwnColour: cast.autoDetected && cast.source === 'metal' };
}

/** Jewelry minus stones, with a 1 px guard around the stones so their rims do not count as metal. */
function sharpMetal(jewelry: Mask, stones: Mask): Mask {
  const { width, height } = jewelry;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (jewelry.data[i] < 250) continue;
      let stone = false;
      for (let dy = -1; dy <= 1 && !stone; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < width && yy < height && stones.data[yy * width + xx] >= 8) { stone = true; break; }
        }
      }
      if (!stone) out[i] = 255;
    }
  }
  return createMask(width, height, out);
}
