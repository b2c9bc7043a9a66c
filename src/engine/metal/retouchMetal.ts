/**
 * Retouch metal: one click, the metal's tone set to what the metal really is and its blown hotspots
 * rolled off, written as editable layers masked to the metal. Nothing outside the piece changes and the
 * stones are left alone unless asked.
 *
 * The result is a recipe (plain data); hosts write it, the compositor renders it.
 */
import { linearToSrgb, srgbToLinear } from '../color';
import { boundsWithin, contentBounds, type PixelWindow } from '../maskWindow';
import { createRgba8, type Mask, type RgbaImage } from '../image';
import type { Recipe, RecipeLayer } from '../../recipe/recipe';
import { chooseMetalPeak, estimateCast, measureBackdrop, type CastSource } from './estimateCast';
import { chromaticityPeaks } from './chromaticityPeaks';
import { fitCurvePoints } from './fitCurvePoints';
import { CEILING, findHotspots, rollOff } from './hotspots';
import { buildMetalMask } from './metalMask';
import { measureMetal, type MetalMeasurement } from './measureMetal';
import type { MetalId, MetalSpec } from './metalCatalog';
import { confidentFamily, type FamilyProbabilities } from './modelFamilyReading';

export const RETOUCH_METAL_GROUP = 'Loupe · Retouch metal';
export const JEWELRY_SELECTION = 'Jewelry';

export interface RetouchMetalOptions {
  /** The piece, 255 = jewelry (antialiased). */
  readonly jewelryMask: Mask;
  /** Stones only, when known; without it stones are told apart by colour. */
  readonly stonesMask?: Mask;
  readonly metal?: MetalId | 'auto';
  readonly includeStones?: boolean;
  /** Roll off large blown patches (default on). */
  readonly hotspots?: boolean;
  /**
   * The mask model's family probabilities for this photo, when it ran. With metal 'auto' and no neutral
   * backdrop in view, a near-sure reading of white metal or gold decides the family (modelFamilyReading.ts).
   */
  readonly modelFamily?: FamilyProbabilities;
}

export interface RetouchMetalPlan {
  readonly recipe: Recipe;
  readonly metal: MetalSpec;
  readonly autoDetected: boolean;
  readonly castSource: CastSource;
  /** Linear-light gains of the tone correction (R, G, B). */
  readonly gains: readonly [number, number, number];
  readonly before: MetalMeasurement;
  readonly metalMask: Mask;
  /** Bounds of the jewelry mask: every layer's mask is empty outside them. */
  readonly pieceBounds: PixelWindow;
  readonly hotspotRegions: number;
  readonly glintsKept: number;
  readonly notes: readonly string[];
}

export function planRetouchMetal(image: RgbaImage, options: RetouchMetalOptions): RetouchMetalPlan {
  const { jewelryMask } = options;
  // Every pass below walks only the piece's bounds: on a 24 MP catalog shot that is a fraction of the frame.
  const piece = contentBounds(jewelryMask);
  if (!piece || !boundsWithin(jewelryMask, piece, 128)) {
    throw new Error('the jewelry mask is empty: nothing to retouch. Check the mask (white = jewelry) or let Loupe find the piece by leaving --mask out');
  }
  // The whole piece's colour is only the fallback when no metal colour stands out: measured when needed.
  let wholePiece: MetalMeasurement | undefined;
  const measureWholePiece = (): MetalMeasurement => {
    wholePiece ??= measureMetal(image, jewelryMask, piece);
    if (!(wholePiece.qualifying > 0)) {
      throw new Error('the piece has no pixels with usable colour (all clipped or near black): lower the exposure in Camera Raw first');
    }
    return wholePiece;
  };
  const backdrop = measureBackdrop(image, jewelryMask);
  const requested = options.metal ?? 'auto';
  const modelReading = requested === 'auto' ? confidentFamily(options.modelFamily) : null;
  const peak = chooseMetalPeak(chromaticityPeaks(image, jewelryMask, 5, piece), backdrop, requested, modelReading) ?? measureWholePiece();
  const metalMask = buildMetalMask(image, jewelryMask, {
    stonesMask: options.stonesMask, includeStones: options.includeStones, metalGr: peak.gr, metalBr: peak.br,
  }, piece);
  const before = measureMetal(image, metalMask, piece);
  const cast = estimateCast(before.qualifying > 0 ? before : measureWholePiece(), backdrop, requested, modelReading);
  const { metal, gains } = cast;

  const layers: RecipeLayer[] = [{
    kind: 'adjustment',
    name: `Metal tone · ${metal.label}`,
    blendMode: 'normal',
    opacity: 1,
    mask: metalMask,
    adjustment: {
      type: 'curves',
      red: fitCurvePoints(gainCurve(gains[0])),
      green: fitCurvePoints(gainCurve(gains[1])),
      blue: fitCurvePoints(gainCurve(gains[2])),
    },
  }];

  let hotspotRegions = 0, glintsKept = 0;
  if (options.hotspots ?? true) {
    const hot = findHotspots(image, metalMask, jewelryMask, piece);
    hotspotRegions = hot.regions;
    glintsKept = hot.glintsKept;
    if (hot.regions > 0) {
      layers.push({
        kind: 'adjustment',
        name: 'Hotspot roll-off',
        blendMode: 'normal',
        opacity: 1,
        mask: hot.rollOffMask,
        adjustment: { type: 'curves', rgb: fitCurvePoints(rollOff, 0.5, [0, 128, 230, 242, 255]) },
      });
      // Clipped cores hold no detail to keep: they take the metal's colour at the roll-off ceiling, so a gold
      // reflection reads gold, not grey (a Color-mode layer cannot carry chroma at this lightness).
      layers.push({
        kind: 'pixel',
        name: `Hotspot tint · ${metal.label}`,
        blendMode: 'normal',
        opacity: 1,
        mask: hot.tintMask,
        image: solidWithin(image.width, image.height, metalSwatch(metal), hot.tintMask, piece),
      });
    }
  }

  return {
    recipe: {
      groupName: RETOUCH_METAL_GROUP,
      width: image.width,
      height: image.height,
      layers,
      selections: [{ name: JEWELRY_SELECTION, mask: jewelryMask }],
    },
    metal,
    autoDetected: cast.autoDetected,
    castSource: cast.source,
    gains,
    before,
    metalMask,
    pieceBounds: piece,
    hotspotRegions,
    glintsKept,
    notes: cast.notes,
  };
}

/** A channel gain in linear light, as a curve on sRGB code values. */
function gainCurve(gain: number): (v: number) => number {
  return (v) => 255 * linearToSrgb(Math.min(1, gain * srgbToLinear(v / 255)));
}

/** The metal's colour at the roll-off ceiling: what a rolled-off gold reflection should look like. */
function metalSwatch(metal: MetalSpec): [number, number, number] {
  const peak = Math.max(...metal.f0);
  const top = srgbToLinear(CEILING / 255);
  return metal.f0.map((c) => Math.round(255 * linearToSrgb((top * c) / peak))) as [number, number, number];
}

/**
 * A solid colour layer, opaque only inside the mask's bounding box so hosts store a small layer.
 * `within` holds all of the mask's content (the piece's bounds), so only that is searched.
 */
function solidWithin(width: number, height: number, rgb: [number, number, number], mask: Mask, within: PixelWindow) {
  const data = new Uint8Array(width * height * 4);
  const win = boundsWithin(mask, within);
  if (!win) return createRgba8(width, height, data);
  const row = new Uint8Array((win.x1 - win.x0) * 4);
  for (let x = 0; x < row.length; x += 4) { row[x] = rgb[0]; row[x + 1] = rgb[1]; row[x + 2] = rgb[2]; row[x + 3] = 255; }
  for (let y = win.y0; y < win.y1; y++) data.set(row, (y * width + win.x0) * 4);
  return createRgba8(width, height, data);
}
