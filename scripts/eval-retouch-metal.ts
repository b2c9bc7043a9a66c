/**
 * Measures Retouch metal on ../shared/evaldata/synth: each scene's cast render is retouched with its exact
 * jewelry mask, and the metal's mean colour after is compared with the neutral render (CIEDE2000 with
 * lightness equalised: a mirror's lightness follows what it reflects, the cast is in its chromaticity).
 * Also checks that nothing outside the piece changed.
 *
 * `--mask found` retouches inside the mask the CLI finds when none is given (src/cli/findJewelryMask.ts:
 * the mask model first, the backdrop finder where it finds nothing), `--mask model` inside the model's mask
 * everywhere, `--mask finder` inside the backdrop finder's wherever it accepts the backdrop and the model's
 * elsewhere (the CLI's choice before 2026-12-05, kept to compare): what a retoucher gets without drawing
 * one. Then "outside changed" counts backdrop pixels the retouch recoloured and "metal untouched" the
 * piece's metal pixels it left as they were.
 *
 * With `auto`, the metal is recognised as `loupe retouch` does: by the backdrop where it is neutral, else by
 * the metal's own colour and the mask model's reading of its family (`--family model`, the default: from the
 * model's mask when it found it, else from its whole-frame pass), or by the colour alone (`--family none`).
 *
 * `--stones` says where the stones come from: told apart by colour (`colour`, what Retouch metal does without a
 * stones mask), the mask model's stones (`model`) or the exact ones (`exact`); "stones touched" counts the
 * stone pixels the retouch recoloured, how far their mean colour moved, and how far it lies from the neutral
 * render's before and after. Told apart by colour, diamonds in white metal stay in the metal (by design), and
 * most of a gold pavé's too; measured, the cast correction brings such stones closer to the neutral render.
 *
 *   npx tsx scripts/eval-retouch-metal.ts [auto] [--mask exact|found|model|finder] [--family model|none] [--stones colour|model|exact]
 */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../src/engine/image';
import { srgb8ToLab } from '../src/engine/color';
import { ciede2000 } from '../src/engine/ciede2000';
import { planRetouchMetal } from '../src/engine/metal/retouchMetal';
import { renderRecipe } from '../src/recipe/compositor';
import type { MetalId } from '../src/engine/metal/metalCatalog';
import { findJewelryMask } from '../src/cli/findJewelryMask';
import { planRetouchMetalWithModelFamily } from '../src/engine/metal/planWithModelFamily';
import { familyByName } from '../src/engine/segmentation/modelMask';
import type { FamilyProbabilities } from '../src/engine/metal/modelFamilyReading';
import { familyReaderOf, openMaskModelSession, type MaskModelSession } from '../src/cli/maskCommand';
import { PlainBackdropError, segmentOnPlainBackdrop } from '../src/engine/segmentation/plainBackdropMask';

export type MaskSource = 'exact' | 'found' | 'model' | 'finder';
/** Where the stones come from: told apart by colour (the default without a stones mask), the mask model's stones, or the exact ones. */
export type StonesSource = 'colour' | 'model' | 'exact';

const synthDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'evaldata', 'synth');

async function readRgba(path: string): Promise<Rgba8Image> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return createRgba8(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
}
async function readGrey(path: string): Promise<Mask> {
  const { data, info } = await sharp(path).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return createMask(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
}

/** Mean Lab (D65) over fully covered metal pixels, as the manifest's ground truth is computed. */
function meanLab(img: Rgba8Image, metal: Mask): [number, number, number] {
  const s = [0, 0, 0]; let n = 0; const lab: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < metal.data.length; i++) {
    if (metal.data[i] < 250) continue;
    srgb8ToLab(img.data[i * 4], img.data[i * 4 + 1], img.data[i * 4 + 2], 'D65', lab);
    s[0] += lab[0]; s[1] += lab[1]; s[2] += lab[2]; n++;
  }
  return [s[0] / n, s[1] / n, s[2] / n];
}
const dE = (a: number[], ref: number[]) => ciede2000(ref[0], a[1], a[2], ref[0], ref[1], ref[2]);

export interface SceneResult {
  id: string; metal: string; backdrop: string; defect: string; detected: string; source: string; before: number; after: number;
  /** Backdrop pixels the retouch recoloured, and how far: the mean of their largest channel change, in 8-bit levels. */
  outsideChanged: number; outsideLevels: number;
  /** Share of the piece's metal pixels left as they were. */
  metalUntouched: number;
  /** Share of the piece's stone pixels the retouch recoloured (stones are left untouched by default). */
  stonesTouched: number;
  /** How far the stones' mean colour moved (CIEDE2000, cast render before and after; 0 without stones). */
  stonesShift: number;
  /** The stones' mean colour against the neutral render's, before and after (as for the metal). */
  stonesBefore: number; stonesAfter: number;
  /** The mask retouched inside: 'exact', the backdrop 'finder' or the mask 'model'. */
  maskUsed: string;
}

interface UsedMask { mask: Mask; how: string; family?: FamilyProbabilities }

async function retouchMask(cast: Rgba8Image, exact: Mask, source: MaskSource, model: MaskModelSession): Promise<UsedMask> {
  if (source === 'exact') return { mask: exact, how: 'exact' };
  if (source === 'found') {
    const found = await findJewelryMask(cast, undefined, { model });
    return { mask: found.mask, how: found.source === 'mask model' ? 'model' : 'finder', family: found.family };
  }
  if (source === 'finder') {
    try {
      return { mask: segmentOnPlainBackdrop(cast).mask, how: 'finder' };
    } catch (err) {
      if (!(err instanceof PlainBackdropError)) throw err;
    }
  }
  const { result } = await model.predict(cast);
  return { mask: result.mask, how: 'model', family: familyByName(result.family) };
}

export async function evaluateSynth(mode: 'given' | 'auto', maskSource: MaskSource = 'exact', useModelFamily = true, stonesSource: StonesSource = 'colour'): Promise<SceneResult[]> {
  const manifest = JSON.parse(readFileSync(join(synthDir, 'manifest.json'), 'utf8'));
  const results: SceneResult[] = [];
  // One model for all the scenes: loaded on the first that needs it (with the exact masks only to read the
  // metal family, in auto, where no neutral backdrop tells the metal).
  const model = openMaskModelSession();
  try {
    for (const scene of manifest.scenes) {
      const f = scene.files;
      const [cast, ref, mask, metal, stones] = await Promise.all([
        readRgba(join(synthDir, f.cast)), readRgba(join(synthDir, f.ref)), readGrey(join(synthDir, f.mask)), readGrey(join(synthDir, f.metal)),
        readGrey(join(synthDir, f.stones)),
      ]);
      const given = scene.metal.replace('_', '-') as MetalId;
      const used = await retouchMask(cast, mask, maskSource, model);
      const stonesMask = stonesSource === 'exact' ? stones : stonesSource === 'model' ? (await model.predict(cast)).result.stones : undefined;
      // As `loupe retouch` does: the model's family comes with its mask, else from its whole-frame pass when
      // the colour alone would have decided (planRetouchMetalWithModelFamily).
      const plan = mode === 'given'
        ? planRetouchMetal(cast, { jewelryMask: used.mask, stonesMask, metal: given })
        : useModelFamily
          ? await planRetouchMetalWithModelFamily(cast, { jewelryMask: used.mask, stonesMask, metal: 'auto', modelFamily: used.family }, familyReaderOf(model, cast))
          : planRetouchMetal(cast, { jewelryMask: used.mask, stonesMask, metal: 'auto' });
      const out = renderRecipe(cast, plan.recipe);
      const changed = (i: number) => out.data[i * 4] !== cast.data[i * 4] || out.data[i * 4 + 1] !== cast.data[i * 4 + 1] || out.data[i * 4 + 2] !== cast.data[i * 4 + 2];
      let outsideChanged = 0, outsideLevelSum = 0, metalPixels = 0, metalUntouched = 0, stonePixels = 0, stonesTouched = 0;
      for (let i = 0; i < mask.data.length; i++) {
        if (mask.data[i] === 0 && changed(i)) {
          outsideChanged++;
          outsideLevelSum += Math.max(...[0, 1, 2].map((c) => Math.abs(out.data[i * 4 + c] - cast.data[i * 4 + c])));
        }
        if (metal.data[i] >= 250) { metalPixels++; if (!changed(i)) metalUntouched++; }
        if (stones.data[i] >= 250) { stonePixels++; if (changed(i)) stonesTouched++; }
      }
      const refLab = meanLab(ref, metal);
      results.push({
        id: scene.id, metal: scene.metal, backdrop: scene.backdrop, defect: scene.defect.type,
        detected: plan.metal.id, source: plan.castSource,
        before: dE(meanLab(cast, metal), refLab), after: dE(meanLab(out, metal), refLab), outsideChanged,
        outsideLevels: outsideLevelSum / Math.max(1, outsideChanged),
        metalUntouched: metalUntouched / Math.max(1, metalPixels), stonesTouched: stonePixels ? stonesTouched / stonePixels : 0,
        stonesShift: stonePixels ? (() => { const a = meanLab(cast, stones), b = meanLab(out, stones); return ciede2000(a[0], a[1], a[2], b[0], b[1], b[2]); })() : 0,
        stonesBefore: stonePixels ? dE(meanLab(cast, stones), meanLab(ref, stones)) : 0, stonesAfter: stonePixels ? dE(meanLab(out, stones), meanLab(ref, stones)) : 0,
        maskUsed: used.how,
      });
    }
  } finally {
    await model.release();
  }
  return results;
}

const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

if (import.meta.url === `file://${process.argv[1]}`) {
  const mode = process.argv.includes('auto') ? 'auto' : 'given';
  const maskArg = process.argv[process.argv.indexOf('--mask') + 1];
  const maskSource: MaskSource = process.argv.includes('--mask') ? (maskArg as MaskSource) : 'exact';
  if (!['exact', 'found', 'model', 'finder'].includes(maskSource)) throw new Error(`--mask takes exact, found, model or finder, not ${maskArg}`);
  const familyArg = process.argv.includes('--family') ? process.argv[process.argv.indexOf('--family') + 1] : 'model';
  if (familyArg !== 'model' && familyArg !== 'none') throw new Error(`--family takes model or none, not ${familyArg}`);
  const stonesArg = process.argv.includes('--stones') ? process.argv[process.argv.indexOf('--stones') + 1] : 'colour';
  if (!['colour', 'model', 'exact'].includes(stonesArg)) throw new Error(`--stones takes colour, model or exact, not ${stonesArg}`);
  const rows = await evaluateSynth(mode, maskSource, familyArg === 'model', stonesArg as StonesSource);
  const outside = sum(rows.map((r) => r.outsideChanged));
  const withStones = rows.filter((r) => r.stonesBefore > 0);
  for (const r of rows) {
    console.log(`${r.id} ${r.metal.padEnd(11)} ${r.backdrop.padEnd(5)} ${r.defect.padEnd(11)} detected ${r.detected.padEnd(11)} via ${r.source.padEnd(8)} ΔE00 before ${r.before.toFixed(2).padStart(5)} after ${r.after.toFixed(2).padStart(5)}  outside changed ${r.outsideChanged} (by ${r.outsideLevels.toFixed(1)})  metal untouched ${(100 * r.metalUntouched).toFixed(1)} %  stones touched ${(100 * r.stonesTouched).toFixed(1)} % (moved ΔE00 ${r.stonesShift.toFixed(2)}; from the neutral render ${r.stonesBefore.toFixed(2)} → ${r.stonesAfter.toFixed(2)})  mask ${r.maskUsed}`);
  }
  console.log(`mask: ${maskSource}; stones: ${stonesArg}; metal: ${mode}${mode === 'auto' ? ` (family: ${familyArg === 'model' ? 'colour and mask model' : 'colour only'})` : ''}; median ΔE00 before ${median(rows.map((r) => r.before)).toFixed(2)}, after ${median(rows.map((r) => r.after)).toFixed(2)}; ` +
    `detected right ${rows.filter((r) => r.detected.replace('-', '_') === r.metal || (r.metal !== 'yellow_gold' && r.metal !== 'rose_gold' && r.detected === 'white-gold')).length}/${rows.length}; ` +
    `pixels changed outside the piece: ${outside} ` +
    `(by ${(sum(rows.map((r) => r.outsideLevels * r.outsideChanged)) / Math.max(1, outside)).toFixed(1)} levels on average); ` +
    `median share of the metal left untouched ${(100 * median(rows.map((r) => r.metalUntouched))).toFixed(1)} % (mean ${(100 * sum(rows.map((r) => r.metalUntouched)) / rows.length).toFixed(1)} %); ` +
    `mean share of the stones recoloured ${(100 * sum(rows.map((r) => r.stonesTouched)) / rows.length).toFixed(1)} %, ` +
    `their colour moved by median ΔE00 ${median(withStones.map((r) => r.stonesShift)).toFixed(2)} (max ${Math.max(...rows.map((r) => r.stonesShift)).toFixed(2)}), ` +
    `from the neutral render's ${median(withStones.map((r) => r.stonesBefore)).toFixed(2)} → ${median(withStones.map((r) => r.stonesAfter)).toFixed(2)} (closer in ${withStones.filter((r) => r.stonesAfter < r.stonesBefore).length} of ${withStones.length})`);
}
