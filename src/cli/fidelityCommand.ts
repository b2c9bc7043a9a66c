/**
 * `loupe fidelity <original> <result>`: is the result still the photographed piece? Measures the result
 * against the original inside the jewelry (structure, colour, stones, settings, sharpness, halos, spill,
 * alignment, highlights, contact), judges it for a use (social, listing, editorial) and optionally a
 * marketplace, and can write an HTML report (with a PSD holding the hidden heatmap layers) and a
 * certified copy of the result carrying the figures in its XMP.
 *
 * Exit status: 0 every check passes (warnings allowed), 1 a check fails, 2 bad input (nothing written).
 */
import { parseArgs } from 'node:util';
import { basename, extname, join } from 'node:path';
import { statSync } from 'node:fs';
import sharp from 'sharp';
import { toRgba8, type Rgba8Image } from '../engine/image';
import { isMetalId, METAL_IDS, type MetalId } from '../engine/metal/metalCatalog';
import { PlainBackdropError } from '../engine/segmentation/plainBackdropMask';
import { findJewelryMask, NoJewelryFoundError, type JewelryMaskSource } from './findJewelryMask';
import type { FidelityCheck } from '../engine/fidelity/checkResult';
import type { FidelityMeasures } from '../engine/fidelity/measureFidelity';
import { measureFidelityWithModelFamily } from '../engine/fidelity/measureWithModelFamily';
import type { Mask } from '../engine/image';
import { familyReaderOf, openMaskModelSession } from './maskCommand';
import { judgeFidelity } from '../engine/fidelity/judgeFidelity';
import { isTier, TIERS, type Tier } from '../engine/fidelity/tiers';
import { checkMarketplace, isMarketplace, MARKETPLACE_RULES, MARKETPLACES, type MarketplaceId } from '../engine/fidelity/marketplace';
import { buildFidelityOverlay, colourHeat, structureHeat } from '../engine/fidelity/overlayRecipe';
import { InputError, readImageFile, readMaskFile } from '../hosts/psd/readImageFile';
import { writeLayeredPsd } from '../hosts/psd/writeLayeredPsd';
import { writeFileAtomically } from '../hosts/psd/writeFileAtomically';
import { fidelityXmp } from '../hosts/psd/xmpCertificate';
import { writeHtmlReport } from '../hosts/report/htmlReport';
import { planOutputs } from './outputFiles';

export const FIDELITY_HELP = `  loupe fidelity <original> <result> [--mask PNG] [--stones PNG] [--tier TIER] [--marketplace NAME]
                 [--metal METAL] [--ai-background] [--piece-untouched] [--json] [--report DIR] [--certify FILE]

Fidelity: checks that the result is still the photographed piece — structure, colour drift, metal tone,
stone count, prongs, sharpness, halos, background spill, alignment, highlights, contact shadow — and,
with --marketplace, the platform's image rules. Exit 0 all pass, 1 a check fails, 2 bad input.

Options:
  --mask PNG           jewelry mask of the original (white = jewelry); without it the piece is found by
                       Loupe's mask model, or else by its plain white/grey backdrop
  --stones PNG         stones mask: counts the stones and checks their settings (without it stones are
                       not counted: the mask model's stones output is not reliable enough to count from)
  --tier TIER          ${TIERS.join(' | ')} (default listing)
  --marketplace NAME   ${MARKETPLACES.join(' | ')}
  --metal METAL        the metal, when auto-detection guesses wrong: ${METAL_IDS.join(' | ')}
  --ai-background      the result has a generated background (sets IPTC DigitalSourceType; Amazon and
                       Etsy refuse it as the main photo)
  --piece-untouched    the step changed only background or shadow: the piece's pixels must be unchanged
  --json               print every check (figure, threshold, verdict) as one JSON object
  --report DIR         write DIR/index.html with pictures and DIR/fidelity.psd (the result with the
                       hidden "Loupe · Fidelity" heatmap layers and the certificate)
  --certify FILE       write a copy of the result (.png or .jpg) carrying the figures and verdict in its XMP
`;

export interface FidelityArgs {
  readonly original: string;
  readonly result: string;
  readonly maskPath?: string;
  readonly stonesPath?: string;
  readonly tier: Tier;
  readonly marketplace?: MarketplaceId;
  readonly metal: MetalId | 'auto';
  readonly aiBackground: boolean;
  readonly pieceUntouched: boolean;
  readonly reportDir?: string;
  readonly certifyPath?: string;
}

export interface FidelityReport {
  original: string;
  result: string;
  tier: Tier;
  verdict: 'pass' | 'warn' | 'fail';
  mask: JewelryMaskSource;
  checks: FidelityCheck[];
  marketplace?: { id: MarketplaceId; checks: FidelityCheck[] };
  report?: string;
  certified?: string;
  notes: string[];
  timingsMs: Record<string, number>;
}

/** Bad input: say what to do, exit 2, write nothing. */
class UsageError extends Error {}

export async function runFidelityCommand(argv: string[]): Promise<number> {
  let args: FidelityArgs & { json: boolean };
  try {
    args = parse(argv);
  } catch (err) {
    process.stderr.write(`loupe fidelity: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    const report = await fidelityOne(args);
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : summary(report));
    return report.verdict === 'fail' ? 1 : 0;
  } catch (err) {
    if (err instanceof InputError || err instanceof UsageError || err instanceof PlainBackdropError || err instanceof NoJewelryFoundError) {
      process.stderr.write(`loupe fidelity: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}

function parse(argv: string[]): FidelityArgs & { json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        mask: { type: 'string' }, stones: { type: 'string' }, tier: { type: 'string', default: 'listing' },
        marketplace: { type: 'string' }, metal: { type: 'string', default: 'auto' },
        'ai-background': { type: 'boolean', default: false }, 'piece-untouched': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false }, report: { type: 'string' }, certify: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}. Run 'loupe --help' for the options.`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 2) throw new UsageError("give the original and the result, e.g. 'loupe fidelity ring.png ring.loupe.png'.");
  const tier = v.tier ?? 'listing';
  if (!isTier(tier)) throw new UsageError(`unknown tier '${tier}': use ${TIERS.join(', ')}.`);
  if (v.marketplace !== undefined && !isMarketplace(v.marketplace)) throw new UsageError(`unknown marketplace '${v.marketplace}': use ${MARKETPLACES.join(', ')}.`);
  const metal = v.metal ?? 'auto';
  if (metal !== 'auto' && !isMetalId(metal)) throw new UsageError(`unknown metal '${metal}': use auto, ${METAL_IDS.join(', ')}.`);
  if (v.certify !== undefined && !/\.(png|jpe?g)$/i.test(v.certify)) throw new UsageError(`--certify writes a .png or .jpg file, not '${v.certify}'.`);
  return {
    original: positionals[0], result: positionals[1], maskPath: v.mask, stonesPath: v.stones, tier,
    marketplace: v.marketplace as MarketplaceId | undefined, metal: metal as MetalId | 'auto',
    aiBackground: v['ai-background'] ?? false, pieceUntouched: v['piece-untouched'] ?? false,
    reportDir: v.report, certifyPath: v.certify, json: v.json ?? false,
  };
}

export async function fidelityOne(args: FidelityArgs): Promise<FidelityReport> {
  const t: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => { const now = performance.now(); t[name] = Math.round(now - mark); mark = now; };
  const inputs = [args.original, args.result, args.maskPath, args.stonesPath];
  const outputs = planOutputs(
    [args.certifyPath, args.reportDir && join(args.reportDir, 'index.html'), args.reportDir && join(args.reportDir, 'fidelity.psd')],
    inputs, 'choose another path', (message) => new UsageError(message),
  );
  const original = toRgba8(await readImageFile(args.original));
  const result = toRgba8(await readImageFile(args.result));
  if (original.width !== result.width || original.height !== result.height) {
    throw new UsageError(`the result is ${result.width}×${result.height} but the original is ${original.width}×${original.height}: compare the result at the original's size (before any export crop or resize).`);
  }
  const stones = args.stonesPath ? await readMaskFile(args.stonesPath, original.width, original.height) : undefined;
  lap('decode');
  // One model for the mask and the metal family, loaded only if one of them needs it.
  const model = openMaskModelSession();
  let measures: FidelityMeasures, mask: Mask, source: JewelryMaskSource, notes: string[];
  try {
    const found = await findJewelryMask(original, args.maskPath, { model });
    ({ mask, source } = found);
    notes = [...found.notes];
    if (!mask.data.some((v) => v >= 128)) throw new UsageError('the jewelry mask is empty: check the mask (white = jewelry).');
    lap('mask');
    const inputs = { jewelryMask: mask, stonesMask: stones, metal: args.metal, pieceUntouched: args.pieceUntouched, modelFamily: found.family };
    measures = await measureFidelityWithModelFamily(original, result, inputs, familyReaderOf(model, original));
  } finally {
    await model.release();
  }
  const judged = judgeFidelity(measures, args.tier);
  lap('measure');
  const checks = [...judged.checks];
  let marketplace: FidelityReport['marketplace'];
  if (args.marketplace) {
    const fileBytes = statSync(args.result).size;
    marketplace = { id: args.marketplace, checks: checkMarketplace(result, mask, args.marketplace, { fileBytes, aiBackground: args.aiBackground }) };
  }
  lap('marketplace');
  const all = [...checks, ...(marketplace?.checks ?? [])];
  const verdict = all.some((c) => c.verdict === 'fail') ? 'fail' : all.some((c) => c.verdict === 'warn') ? 'warn' : 'pass';
  if (measures.structure.analysisScale > 1) notes.push(`Structure maps measured at 1/${measures.structure.analysisScale} size (large frame); halos, sharpness and alignment at full size.`);

  const xmp = fidelityXmp({
    verdict, tier: args.tier, marketplace: args.marketplace, checks: all, aiBackground: args.aiBackground,
    original: basename(args.original), checkedAt: new Date(), tool: 'Loupe fidelity 0.1.0',
  });
  let reportPath: string | undefined;
  outputs.makeFolders();
  if (args.reportDir) {
    const overlay = buildFidelityOverlay(measures, { ...judged, checks: all, verdict });
    reportPath = await writeHtmlReport(args.reportDir, {
      title: `Fidelity: ${basename(args.result)}`, originalName: basename(args.original), resultName: basename(args.result),
      original, result, verdict, tier: args.tier, checks,
      marketplace: marketplace && { label: MARKETPLACE_RULES[marketplace.id].label, checks: marketplace.checks },
      heatmaps: [
        { caption: 'Structure changed (yellow → red: detail lost)', layer: structureHeat(measures) },
        { caption: 'Colour change ΔE00 (yellow 1, orange 2, red 5 and more)', layer: colourHeat(measures) },
        { caption: 'Failed checks', layer: overlay.layers[2].kind === 'pixel' ? overlay.layers[2].image : result },
      ],
      notes,
    });
    await writeFileAtomically(join(args.reportDir, 'fidelity.psd'), writeLayeredPsd({ source: result, recipe: overlay, composite: result, xmp }));
  }
  lap('report');
  let certified: string | undefined;
  if (args.certifyPath) {
    await writeCertified(args.certifyPath, result, xmp);
    certified = args.certifyPath;
  }
  lap('certify');
  t.total = Object.values(t).reduce((s, v) => s + v, 0);
  return {
    original: args.original, result: args.result, tier: args.tier, verdict, mask: source, checks, marketplace,
    report: reportPath, certified, notes, timingsMs: { ...t, ...prefixed(measures.timingsMs) },
  };
}

function prefixed(t: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [`measure.${k}`, v]));
}

/** The result re-encoded with the certificate in its XMP (JPEG at quality 95, spec §B.5: ≥ 90). */
async function writeCertified(path: string, image: Rgba8Image, xmp: string): Promise<void> {
  const jpeg = /\.jpe?g$/i.test(path);
  await writeFileAtomically(path, async (temp) => {
    let p = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } }).removeAlpha().withXmp(xmp);
    p = jpeg ? p.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }) : p.png({ compressionLevel: 6 });
    await p.toFile(temp);
  });
}

/** What a retoucher reads: the verdict, then one line per check, failures first. */
function summary(r: FidelityReport): string {
  const mark = { pass: '✓', warn: '!', fail: '✗', skipped: '–' } as const;
  const order = { fail: 0, warn: 1, pass: 2, skipped: 3 } as const;
  const line = (c: FidelityCheck) => {
    const fig = Number.isFinite(c.figure) ? `${c.figure}${c.unit ? ` ${c.unit}` : ''}` : 'n/a';
    const need = `${c.comparison === '>=' ? '≥' : '≤'} ${c.threshold}`;
    return `  ${mark[c.verdict]} ${c.label.padEnd(30)} ${fig.padEnd(26)} needs ${need.padEnd(8)} ${c.verdict === 'pass' ? '' : c.detail ?? ''}`.trimEnd();
  };
  const sorted = (cs: FidelityCheck[]) => [...cs].sort((a, b) => order[a.verdict] - order[b.verdict]);
  const head = r.verdict === 'fail' ? 'FAILS' : r.verdict === 'warn' ? 'passes, with warnings' : 'passes';
  return [
    `${r.result} against ${basename(r.original, extname(r.original))}${extname(r.original)} (${r.tier}): ${head}`,
    ...sorted(r.checks).map(line),
    ...(r.marketplace ? [`  ${MARKETPLACE_RULES[r.marketplace.id].label}:`, ...sorted(r.marketplace.checks).map(line)] : []),
    ...r.notes.map((n) => `  note: ${n}`),
    ...(r.report ? [`  report ${r.report}`] : []),
    ...(r.certified ? [`  certified copy ${r.certified}`] : []),
    '',
  ].join('\n');
}
