/**
 * `loupe retouch`: one jewelry photo in, a layered PSD (the source untouched as Background, the
 * correction as a named group of editable layers, the "Jewelry" selection) and its flattened preview out.
 */
import { basename, extname, join } from 'node:path';
import { chroma, hueDeg } from '../engine/color';
import { measureMetal } from '../engine/metal/measureMetal';
import type { MetalId } from '../engine/metal/metalCatalog';
import { findJewelryMask, type FoundJewelryMask, type JewelryMaskSource } from './findJewelryMask';
import type { RetouchMetalPlan } from '../engine/metal/retouchMetal';
import { familyReaderOf, openMaskModelSession, type MaskModelSession } from './maskCommand';
import { planRetouchMetalWithModelFamily } from '../engine/metal/planWithModelFamily';
import { renderRecipe } from '../recipe/compositor';
import { stackRecipes } from '../recipe/recipeGroups';
import type { Recipe } from '../recipe/recipe';
import { planContactShadow } from '../engine/shadow/contactShadow';
import { planTargetedSharpen } from '../engine/sharpen/targetedSharpen';
import { readImageFile, readMaskFile } from '../hosts/psd/readImageFile';
import { writeLayeredPsd } from '../hosts/psd/writeLayeredPsd';
import { planOutputs } from './outputFiles';
import { writeFileAtomically, writePng } from '../hosts/psd/writeFileAtomically';

export interface RetouchArgs {
  readonly input: string;
  readonly outDir: string;
  readonly maskPath?: string;
  readonly stonesPath?: string;
  readonly metal: MetalId | 'auto';
  readonly includeStones: boolean;
  /** Add the finishing helpers as their own groups above the metal retouch. */
  readonly shadow?: boolean;
  readonly sharpen?: boolean;
  /** Contact shadow for an Amazon main image: layers written hidden. */
  readonly amazonMain?: boolean;
  readonly lightAngleDeg?: number;
  /** The batch's mask model, for photos without --mask (loaded once for all of them). */
  readonly maskModel?: MaskModelSession;
}

export interface LabSummary { L: number; a: number; b: number; h: number }

export interface RetouchReport {
  input: string;
  psd: string;
  preview: string;
  mask: JewelryMaskSource;
  metal: {
    detected: MetalId;
    label: string;
    autoDetected: boolean;
    castFrom: 'backdrop' | 'metal';
    gains: number[];
    before: LabSummary;
    after: LabSummary;
  };
  hotspots: { regions: number; glintsKept: number; clippedBefore: number; clippedAfter: number };
  layers: string[];
  notes: string[];
  timingsMs: Record<string, number>;
}

export async function retouchOne(args: RetouchArgs): Promise<RetouchReport> {
  const t: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => { const now = performance.now(); t[name] = Math.round(now - mark); mark = now; };

  const image = await readImageFile(args.input);
  const stones = args.stonesPath ? await readMaskFile(args.stonesPath, image.width, image.height) : undefined;
  lap('decode');
  // Without the batch's model, this photo's own: loaded only if the mask or the metal family needs it.
  const model = args.maskModel ?? openMaskModelSession();
  let found: FoundJewelryMask, plan: RetouchMetalPlan;
  try {
    found = await findJewelryMask(image, args.maskPath, { model });
    lap('mask');
    const options = { jewelryMask: found.mask, stonesMask: stones, metal: args.metal, includeStones: args.includeStones, modelFamily: found.family };
    plan = await planRetouchMetalWithModelFamily(image, options, familyReaderOf(model, image));
  } finally {
    if (!args.maskModel) await model.release();
  }
  const { mask, source: maskSource, notes: maskNotes } = found;
  const helpers: Recipe[] = [];
  const helperNotes: string[] = [];
  if (args.sharpen) {
    const sharpen = planTargetedSharpen(image, mask, { stonesMask: stones });
    helpers.push(sharpen.recipe);
    helperNotes.push(...sharpen.notes);
  }
  if (args.shadow) {
    const shadow = planContactShadow(image, mask, { amazonMain: args.amazonMain, lightAngleDeg: args.lightAngleDeg });
    helpers.push(shadow.recipe);
    helperNotes.push(...shadow.notes);
  }
  const recipe = helpers.length > 0 ? stackRecipes([plan.recipe, ...helpers]) : plan.recipe;
  lap('analyse');
  const composite = renderRecipe(image, recipe);
  const after = measureMetal(composite, plan.metalMask, plan.pieceBounds);
  lap('composite');

  const name = basename(args.input, extname(args.input));
  const psdPath = join(args.outDir, `${name}.loupe.psd`);
  const previewPath = join(args.outDir, `${name}.loupe.png`);
  const outputs = planOutputs([psdPath, previewPath], [args.input, args.maskPath, args.stonesPath], 'choose another --out folder');
  const psd = writeLayeredPsd({ source: image, recipe, composite });
  lap('psdEncode');
  outputs.makeFolders();
  await writeFileAtomically(psdPath, psd);
  await writePng(previewPath, composite);
  lap('write');
  t.total = Object.values(t).reduce((s, v) => s + v, 0);

  return {
    input: args.input,
    psd: psdPath,
    preview: previewPath,
    mask: maskSource,
    metal: {
      detected: plan.metal.id,
      label: plan.metal.label,
      autoDetected: plan.autoDetected,
      castFrom: plan.castSource,
      gains: plan.gains.map((g) => round(g, 4)),
      before: labSummary(plan.before.lab),
      after: labSummary(after.lab),
    },
    hotspots: {
      regions: plan.hotspotRegions,
      glintsKept: plan.glintsKept,
      clippedBefore: round(plan.before.clippedFraction, 5),
      clippedAfter: round(after.clippedFraction, 5),
    },
    layers: recipe.layers.map((l) => l.name),
    notes: [...maskNotes, ...plan.notes, ...helperNotes],
    timingsMs: t,
  };
}

function labSummary(lab: readonly [number, number, number]): LabSummary {
  return { L: round(lab[0], 2), a: round(lab[1], 2), b: round(lab[2], 2), h: round(chroma(lab[1], lab[2]) > 0.5 ? hueDeg(lab[1], lab[2]) : 0, 1) };
}

function round(v: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}
