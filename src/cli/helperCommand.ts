/**
 * Shared runner for the finishing helpers (`loupe shadow`, `loupe sharpen`): for each photo, read it and
 * its jewelry mask, let the helper plan its recipe, and write `<name>.loupe.psd` (the photo untouched as
 * the Background, the helper's group, the "Jewelry" selection) and `<name>.loupe.png`. Everything is
 * checked before anything is written, so bad input leaves no file behind; inputs are never modified.
 */
import { basename, extname, join } from 'node:path';
import { planOutputs } from './outputFiles';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Mask, RgbaImage } from '../engine/image';
import { findJewelryMask } from './findJewelryMask';
import { openMaskModelSession, type MaskModelSession } from './maskCommand';
import type { Recipe } from '../recipe/recipe';
import { renderRecipe } from '../recipe/compositor';
import { readImageFile } from '../hosts/psd/readImageFile';
import { writeLayeredPsd } from '../hosts/psd/writeLayeredPsd';
import { writeFileAtomically, writePng } from '../hosts/psd/writeFileAtomically';

export type HelperValues = Record<string, string | boolean | undefined>;

export interface HelperInput {
  /** The photo's path as given on the command line. */
  readonly input: string;
  readonly image: RgbaImage;
  readonly mask: Mask;
  readonly values: HelperValues;
}

export interface HelperPlan {
  readonly recipe: Recipe;
  /** Extra fields for the JSON line and summary (e.g. light angle, radius). */
  readonly report: Record<string, unknown>;
  readonly notes: readonly string[];
}

export interface HelperSpec {
  readonly command: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Checks option values before any file is read; returns an error line or undefined. */
  validate?(values: HelperValues): string | undefined;
  plan(input: HelperInput): Promise<HelperPlan> | HelperPlan;
  /** Aborted on Ctrl-C, where the command hears it: the mask model stops, no further photo is written and the
   *  command exits 130. */
  readonly signal?: AbortSignal;
}

/** The exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const CANCELLED_EXIT = 130;

export async function runHelperCommand(spec: HelperSpec, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: { ...spec.options, out: { type: 'string', default: 'out' }, mask: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (err) {
    process.stderr.write(`loupe ${spec.command}: ${(err as Error).message}. Usage: ${spec.usage}\n`);
    return 2;
  }
  const values = parsed.values as HelperValues;
  if (values.help) { process.stdout.write(`Usage: ${spec.usage}\n`); return 0; }
  if (parsed.positionals.length === 0) {
    process.stderr.write(`loupe ${spec.command}: give at least one photo. Usage: ${spec.usage}\n`);
    return 2;
  }
  const problem = spec.validate?.(values);
  if (problem) { process.stderr.write(`loupe ${spec.command}: ${problem}\n`); return 2; }
  let failed = 0;
  const maskModel = openMaskModelSession();
  try {
    for (const [index, input] of parsed.positionals.entries()) {
      if (spec.signal?.aborted) return cancelledAt(spec, parsed.positionals.slice(index));
      try {
        const line = await runOne(spec, input, values, maskModel);
        process.stdout.write(values.json ? `${JSON.stringify(line)}\n` : summary(line));
      } catch (err) {
        if (spec.signal?.aborted) return cancelledAt(spec, parsed.positionals.slice(index));
        failed++;
        process.stderr.write(`loupe: ${input}: ${(err as Error).message}\n`);
      }
    }
  } finally {
    await maskModel.release();
  }
  return failed ? 1 : 0;
}

function cancelledAt(spec: HelperSpec, notWritten: readonly string[]): number {
  process.stderr.write(`loupe ${spec.command}: cancelled: nothing was written for ${notWritten.join(', ')}\n`);
  return CANCELLED_EXIT;
}

async function runOne(spec: HelperSpec, input: string, values: HelperValues, maskModel: MaskModelSession): Promise<Record<string, unknown>> {
  const started = performance.now();
  const image = await readImageFile(input);
  const { mask, source, notes } = await findJewelryMask(image, typeof values.mask === 'string' ? values.mask : undefined, { signal: spec.signal, model: maskModel });
  const plan = await spec.plan({ input, image, mask, values });
  if (spec.signal?.aborted) throw new Error('cancelled'); // heard after planning: no output started
  const recipe: Recipe = { ...plan.recipe, selections: [...(plan.recipe.selections ?? []), { name: 'Jewelry', mask }] };
  const composite = renderRecipe(image, recipe);

  const outDir = String(values.out ?? 'out');
  const name = basename(input, extname(input));
  const psdPath = join(outDir, `${name}.loupe.psd`);
  const previewPath = join(outDir, `${name}.loupe.png`);
  const outputs = planOutputs([psdPath, previewPath], [input, typeof values.mask === 'string' ? values.mask : undefined], 'choose another --out folder');
  const psd = writeLayeredPsd({ source: image, recipe, composite });
  outputs.makeFolders();
  await writeFileAtomically(psdPath, psd);
  await writePng(previewPath, composite);
  return {
    input, psd: psdPath, preview: previewPath, mask: source,
    ...plan.report, group: recipe.groupName, layers: recipe.layers.map((l) => l.name), notes: [...notes, ...plan.notes],
    timingsMs: { total: Math.round(performance.now() - started) },
  };
}

function summary(r: Record<string, unknown>): string {
  const extra = Object.entries(r).filter(([k]) => !['input', 'psd', 'preview', 'mask', 'group', 'layers', 'notes', 'timingsMs'].includes(k));
  return [
    String(r.input),
    `  ${r.group}: ${(r.layers as string[]).join(' | ')}`,
    ...extra.map(([k, v]) => `  ${k.padEnd(10)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
    ...(r.notes as string[]).map((n) => `  note       ${n}`),
    `  wrote      ${r.psd}`,
    `             ${r.preview}`,
    '',
  ].join('\n');
}
