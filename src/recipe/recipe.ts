/**
 * A recipe is plain data describing what an action writes back into the document: one named group of
 * adjustment and pixel layers, each optionally masked, blended and clipped, plus an optional saved
 * selection. Hosts (Photoshop, PSD file, browser) turn it into layers; the compositor renders it.
 *
 * Layer order is bottom → top, as in Photoshop's layer panel read upwards. Every layer sits above the
 * untouched source layer; the source is never part of the recipe.
 */
import type { Mask, Rgba8Image } from '../engine/image';

export type BlendMode = 'normal' | 'multiply' | 'screen' | 'overlay' | 'soft light' | 'linear light' | 'color' | 'luminosity';

/** One curve point in 0..255 code values, as in Photoshop's Curves dialog. */
export interface CurvePoint {
  readonly input: number;
  readonly output: number;
}

/** Curves: the composite (RGB) curve is applied after the per-channel curves, as Photoshop does. */
export interface CurvesAdjustment {
  readonly type: 'curves';
  readonly rgb?: readonly CurvePoint[];
  readonly red?: readonly CurvePoint[];
  readonly green?: readonly CurvePoint[];
  readonly blue?: readonly CurvePoint[];
}

/** Hue/Saturation, master range only (what Loupe writes): hue −180..180, saturation and lightness −100..100. */
export interface HueSaturationAdjustment {
  readonly type: 'hue/saturation';
  readonly hue: number;
  readonly saturation: number;
  readonly lightness: number;
}

/** Color Balance: each tone range holds cyan–red, magenta–green, yellow–blue, −100..100. */
export interface ColorBalanceAdjustment {
  readonly type: 'color balance';
  readonly shadows: readonly [number, number, number];
  readonly midtones: readonly [number, number, number];
  readonly highlights: readonly [number, number, number];
  readonly preserveLuminosity: boolean;
}

/** Channel Mixer: output channel = percentages of the source R, G, B plus a constant, −200..200. */
export interface ChannelMixerAdjustment {
  readonly type: 'channel mixer';
  readonly red: readonly [number, number, number, number];
  readonly green: readonly [number, number, number, number];
  readonly blue: readonly [number, number, number, number];
}

export type Adjustment = CurvesAdjustment | HueSaturationAdjustment | ColorBalanceAdjustment | ChannelMixerAdjustment;

interface LayerCommon {
  /** What a retoucher would have named it, e.g. "Metal tone · 18K yellow gold". */
  readonly name: string;
  readonly blendMode: BlendMode;
  /** 0..1 */
  readonly opacity: number;
  /** Clipped to the layer below (Photoshop "Create Clipping Mask"). */
  readonly clipping?: boolean;
  readonly visible?: boolean;
  /** Layer mask at canvas size: 255 shows the layer, 0 hides it. */
  readonly mask?: Mask;
}

export interface AdjustmentLayer extends LayerCommon {
  readonly kind: 'adjustment';
  readonly adjustment: Adjustment;
}

export interface PixelLayer extends LayerCommon {
  readonly kind: 'pixel';
  /** Canvas-sized sRGB pixels; alpha is the layer's transparency. */
  readonly image: Rgba8Image;
}

export type RecipeLayer = AdjustmentLayer | PixelLayer;

export interface SavedSelection {
  /** Channel name in Photoshop's Channels panel, e.g. "Jewelry". */
  readonly name: string;
  readonly mask: Mask;
}

/** One named group of a recipe that holds several: the next `layerCount` layers of `layers`. */
export interface RecipeGroupSpan {
  readonly name: string;
  readonly layerCount: number;
}

export interface Recipe {
  /** The group's name, e.g. "Loupe · Retouch metal" (with `groups`: the first group's name). */
  readonly groupName: string;
  readonly width: number;
  readonly height: number;
  /** Bottom → top. */
  readonly layers: readonly RecipeLayer[];
  readonly selections?: readonly SavedSelection[];
  /** Name of one of `selections` to leave loaded as the active selection once written (e.g. after Mask jewelry). */
  readonly activeSelection?: string;
  /**
   * Several pass-through groups stacked bottom → top (e.g. retouch, sharpen, contact shadow in one
   * document); their layerCounts add up to layers.length. Absent: all layers form the one group
   * `groupName`. A host that ignores it still writes every layer, in one group. Clipping never reaches
   * across a group boundary (a group's bottom layer cannot clip to the group below).
   */
  readonly groups?: readonly RecipeGroupSpan[];
}
