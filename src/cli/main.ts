/**
 * The `loupe` command line. Each subcommand reads files, runs the engine and writes layered PSDs; bad
 * input gets one clear line on stderr and a non-zero exit, and never a half-written file.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { isMetalId, METAL_IDS, type MetalId } from '../engine/metal/metalCatalog';
import { runPhotoBatch } from './photoBatch';
import { retouchOne, type RetouchReport } from './retouchCommand';
import { FIDELITY_HELP, runFidelityCommand } from './fidelityCommand';
import { maskOne, type MaskReport } from './maskCommand';
import { runShadowCommand, SHADOW_USAGE } from './shadowCommand';
import { runSharpenCommand, SHARPEN_USAGE } from './sharpenCommand';
import { BACKGROUND_USAGE, OPENAI_KEY_VARIABLE, runBackgroundCommand } from './backgroundCommand';

const HELP = `loupe — jewelry retouching as editable Photoshop layers

Usage:
  loupe retouch <inputs…> [--out DIR] [--mask PNG] [--stones PNG] [--metal METAL] [--include-stones]
                [--shadow [--light DEG] [--amazon-main]] [--sharpen] [--json]
  loupe mask <input> --out MASK.png [--stones STONES.png] [--within ROUGH.png] [--json]
  loupe mask <inputs…> --out DIR [--stones DIR] [--json]

Retouch metal: corrects the metal's tone to what the metal really is and rolls off blown hotspots,
written as a layered PSD (your photo untouched as the Background, the correction as a "Loupe · Retouch
metal" group of editable, masked layers and a "Jewelry" selection) plus a flattened PNG preview.

Options:
  --out DIR          where to write <name>.loupe.psd and <name>.loupe.png (default: out)
  --mask PNG         jewelry mask, white = jewelry, same size as the photo. Without it Loupe finds the
                     piece itself with its mask model, or by a plain white/grey backdrop where the
                     model finds nothing (the same for shadow, sharpen and fidelity).
  --stones PNG       stones mask (white = stones): keeps them exactly as they are. Without it stones are
                     told apart from the metal by colour.
  --metal METAL      auto (default) | ${METAL_IDS.join(' | ')}
  --include-stones   correct the stones along with the metal
  --shadow, --sharpen  add the contact shadow / targeted sharpen groups (see the helpers below)
  --json             print one JSON line per input (input, psd, preview, metal, hotspots, layers, timingsMs)
  -h, --help         this help

Mask jewelry (loupe mask): Loupe's own model finds the piece — chains, prongs, ring holes — and writes
an 8-bit mask the size of the photo (white = jewelry); --stones also writes the stones' mask.
--within takes a rough selection around one piece (white = selected, the photo's size, as a lasso or
marquee for Photoshop's Object Selection): the model looks only there, and the mask stays inside it
(grown by 1 % of its size, so a tight lasso does not cut a prong). Several photos (or --out an existing
folder) write DIR/<photo>.mask.png for each, and with --stones DIR its <photo>.stones.png, the model
loaded once; Ctrl-C stops after the current photo.

Finishing helpers, each written as its own group of editable layers over your photo:
  ${SHADOW_USAGE}
      contact shadow: a thin contact line and a soft cast shadow (Multiply) under the piece; --light is
      the angle the light comes from (90 = above, 180 = left; default: read from the piece's highlights);
      --amazon-main writes the shadow layers hidden (Amazon's main image takes no shadow).
  ${SHARPEN_USAGE}
      targeted sharpen: a High Pass layer (Overlay) masked to the piece, radius scaled to the photo;
      skin and backdrop are never touched; --exclude-stones keeps the stones as they are.

Context background (loupe background): a generated or studio scene behind your photo's own piece.
  ${BACKGROUND_USAGE}
      the scene becomes the "Context background" layer; above it the piece is your photo's own pixels
      masked by the jewelry mask, so the piece is never regenerated. Providers: a ComfyUI server (your
      inpainting workflow in API format with {{image}}, {{mask}}, {{prompt}}), an OpenAI-compatible
      /images/edits endpoint (key in the environment variable ${OPENAI_KEY_VARIABLE}), or an offline
      studio backdrop (white = RGB 255, sweep, gradient). --harmonise matches the scene's light around
      the piece to the photo's; --shadow adds the contact shadow between the scene and the piece.

${FIDELITY_HELP}
Input: PNG, JPEG, TIFF (8 or 16 bit) or PSD, RGB. Your files are never modified.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === 'retouch') return retouch(rest);
  if (command === 'shadow') return runShadowCommand(rest);
  if (command === 'sharpen') return runSharpenCommand(rest);
  if (command === 'background') return runBackgroundCommand(rest);
  if (command === 'fidelity') return runFidelityCommand(rest);
  if (command === 'mask') return mask(rest);
  process.stderr.write(`loupe: unknown command '${command}'. Run 'loupe --help' to see the commands.\n`);
  return 2;
}

async function retouch(argv: string[]): Promise<number> {
  const parsed = parseOptions('retouch', argv, {
    out: { type: 'string', default: 'out' },
    mask: { type: 'string' },
    stones: { type: 'string' },
    metal: { type: 'string', default: 'auto' },
    'include-stones': { type: 'boolean', default: false },
    shadow: { type: 'boolean', default: false },
    sharpen: { type: 'boolean', default: false },
    'amazon-main': { type: 'boolean', default: false },
    light: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(HELP); return 0; }
  if (positionals.length === 0) {
    process.stderr.write("loupe retouch: give at least one photo, e.g. 'loupe retouch ring.jpg'.\n");
    return 2;
  }
  const metal = values.metal ?? 'auto';
  if (metal !== 'auto' && !isMetalId(metal)) {
    process.stderr.write(`loupe retouch: unknown metal '${metal}': use auto, ${METAL_IDS.join(', ')}.\n`);
    return 2;
  }

  const light = values.light === undefined ? undefined : Number(values.light);
  if (light !== undefined && !Number.isFinite(light)) {
    process.stderr.write(`loupe retouch: --light takes the angle the light comes from in degrees (90 = from above, 180 = from the left), not '${values.light}'.\n`);
    return 2;
  }

  return runPhotoBatch(positionals, async (input, maskModel) => {
    const report = await retouchOne({
      input, outDir: values.out ?? 'out', maskPath: values.mask, stonesPath: values.stones,
      metal: metal as MetalId | 'auto', includeStones: values['include-stones'] ?? false,
      shadow: values.shadow ?? false, sharpen: values.sharpen ?? false, amazonMain: values['amazon-main'] ?? false, lightAngleDeg: light,
      maskModel,
    });
    return values.json ? `${JSON.stringify(report)}\n` : summary(report);
  });
}

async function mask(argv: string[]): Promise<number> {
  const parsed = parseOptions('mask', argv, {
    out: { type: 'string' },
    stones: { type: 'string' },
    within: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(HELP); return 0; }
  if (positionals.length === 0 || !values.out) {
    process.stderr.write("loupe mask: give a photo and where to write its mask, e.g. 'loupe mask ring.jpg --out ring.mask.png', or photos and a folder: 'loupe mask *.jpg --out masks'.\n");
    return 2;
  }
  if (positionals.length > 1 || isFolder(values.out)) return maskBatch(positionals, values.out, values.stones, values.within, values.json ?? false);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const report = await maskOne({ input: positionals[0], out: values.out, stonesOut: values.stones, within: values.within, signal: controller.signal });
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : maskSummary(report, !!values.within));
    return 0;
  } catch (err) {
    if (controller.signal.aborted) { process.stderr.write('loupe mask: stopped, nothing written.\n'); return 130; }
    process.stderr.write(`loupe: ${positionals[0]}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** An existing folder, or a path written as one (ending in a slash). */
function isFolder(path: string): boolean {
  return /[\\/]$/.test(path) || (existsSync(path) && statSync(path).isDirectory());
}

/**
 * `loupe mask` on several photos: each photo's masks named after it in the folders given, the model loaded
 * once for all. A photo that fails is said and skipped; the others go on.
 */
async function maskBatch(inputs: string[], outDir: string, stonesDir: string | undefined, within: string | undefined, json: boolean): Promise<number> {
  if (within) {
    process.stderr.write('loupe mask: --within is one photo\'s rough selection: give it with that one photo.\n');
    return 2;
  }
  const nameOf = (input: string) => basename(input, extname(input));
  const byName = new Map<string, string>();
  for (const input of inputs) {
    const other = byName.get(nameOf(input));
    if (other) {
      process.stderr.write(`loupe mask: ${other} and ${input} would both write ${nameOf(input)}.mask.png: mask them in two runs, or rename one.\n`);
      return 2;
    }
    byName.set(nameOf(input), input);
  }
  return runPhotoBatch(inputs, async (input, model) => {
    const name = nameOf(input);
    const report = await maskOne({
      input, out: join(outDir, `${name}.mask.png`), stonesOut: stonesDir ? join(stonesDir, `${name}.stones.png`) : undefined, model,
    });
    return json ? `${JSON.stringify(report)}\n` : maskSummary(report);
  });
}

/** What a retoucher reads after a photo is masked. */
function maskSummary(report: MaskReport, insideSelection = false): string {
  return [
    report.input,
    report.found ? `  jewelry    ${(100 * report.coverage).toFixed(1)} % of the frame${insideSelection ? ', inside the selection' : ''}` : '  jewelry    none found: the mask is empty (black)',
    ...report.warnings.map((w) => `  note       ${w}`),
    `  wrote      ${report.mask}${report.stones ? `, ${report.stones}` : ''}  (${(report.timingsMs.total / 1000).toFixed(1)} s)`,
    '',
  ].join('\n');
}

/** What a retoucher reads after a run: what was found, what changed, where the files are. */
function summary(r: RetouchReport): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const how = r.metal.autoDetected ? 'detected' : 'as chosen';
  const castFrom = r.metal.castFrom === 'backdrop' ? 'cast measured on the neutral backdrop' : "balanced on the metal's own colour";
  return [
    r.input,
    `  metal      ${r.metal.label} (${how}; ${castFrom})`,
    `  tone       hue ${r.metal.before.h}° → ${r.metal.after.h}°, Lab ${r.metal.before.L}/${r.metal.before.a}/${r.metal.before.b} → ${r.metal.after.L}/${r.metal.after.a}/${r.metal.after.b}`,
    `  hotspots   ${r.hotspots.regions} blown patches rolled off, ${r.hotspots.glintsKept} small glints kept; clipped metal ${pct(r.hotspots.clippedBefore)} → ${pct(r.hotspots.clippedAfter)}`,
    `  layers     ${r.layers.join(' | ')}`,
    ...r.notes.map((n) => `  note       ${n}`),
    `  wrote      ${r.psd}`,
    `             ${r.preview}  (${(r.timingsMs.total / 1000).toFixed(1)} s)`,
    '',
  ].join('\n');
}

/** parseArgs for a subcommand: a bad option is explained on stderr and gives null (exit code 2). */
function parseOptions<const O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (err) {
    process.stderr.write(`loupe ${command}: ${(err as Error).message}. Run 'loupe --help' for the options.\n`);
    return null;
  }
}
