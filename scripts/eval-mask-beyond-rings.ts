/**
 * Loupe's mask on the pieces beyond rings in ../shared/evaldata/images — pearls, a bead necklace, drop
 * earrings, bangles, a watch, all on white — which have no hand masks. Two independent references stand in:
 * the AGPL IS-Net of @imgly/background-removal-data (a general background remover; benchmark and evaluation
 * only, never shipped) and the plain-backdrop finder (plainBackdropMask.ts, no learning). Each is wrong in its
 * own way (IS-Net fills some holes, the finder cuts blown highlights), so the score that counts is IoU on the
 * pixels where both agree ("consensus"); IoU against each is printed beside it.
 *
 * The flat-backdrop veto uses the finder's backdrop map, so the IoU against the finder flatters it; the
 * consensus and IS-Net columns do not share that bias.
 *
 *   LOUPE_ISNET_DATA=/path/to/@imgly/background-removal-data/dist npx tsx scripts/eval-mask-beyond-rings.ts \
 *     [--models DIR] [--out DIR] [--json]
 *
 * IS-Net takes 10–30 s a photo on one thread; its masks are kept in build/isnet-masks/ and reused.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { segmentWithModel } from '../src/engine/segmentation/modelMask';
import { segmentOnPlainBackdrop } from '../src/engine/segmentation/plainBackdropMask';
import { loadMaskNetwork } from '../src/hosts/psd/loadMaskModel';
import { iou, loadRgba, median } from './eval-backdrop-mask';
import { isnetMaskOf, openIsnet } from './isnet-reference';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES = join(root, '..', 'shared', 'evaldata', 'images');
export const BEYOND_RINGS = [
  'earrings-pearl-stud-white-01', 'necklace-pearl-strand-white-01', 'necklace-silver-onyx-bead-bib-white-01',
  'earrings-silver-hook-blue-drop-white-01', 'bracelet-gold-bangles-turquoise-white-01', 'watch-steel-silver-dial-white-01',
];

/** IS-Net's mask (0..255) at the photo's size, cached under build/isnet-masks. */
async function isnetMask(dataDir: string, name: string, width: number, height: number): Promise<Uint8Array> {
  const cacheDir = join(root, 'build', 'isnet-masks');
  const cached = join(cacheDir, `${name}.png`);
  if (!existsSync(cached)) {
    const reference = await openIsnet(dataDir);
    const { mask, width: w, height: h } = await isnetMaskOf(reference, join(IMAGES, `${name}.jpg`));
    mkdirSync(cacheDir, { recursive: true });
    await sharp(mask, { raw: { width: w, height: h, channels: 1 } }).png().toFile(cached);
    await reference.session.release();
  }
  const { data, info } = await sharp(cached).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) throw new Error(`${cached} is not ${width}×${height}: delete it`);
  return new Uint8Array(data);
}

/** IoU at 128 over the pixels `where` marks (the references' consensus). */
function iouWhere(a: Uint8Array, b: Uint8Array, where: Uint8Array): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    if (!where[i]) continue;
    const p = a[i] >= 128, q = b[i] >= 128;
    if (p && q) inter++;
    if (p || q) union++;
  }
  return union ? inter / union : 1;
}

export interface BeyondRingsRow { name: string; consensus: number | null; isnet: number | null; finder: number; consensusShare: number | null }

export async function evaluateBeyondRings(models?: string, flatBackdrop = true, outDir?: string): Promise<BeyondRingsRow[]> {
  const { network } = await loadMaskNetwork(models);
  const isnetDir = process.env.LOUPE_ISNET_DATA && existsSync(join(process.env.LOUPE_ISNET_DATA, 'resources.json')) ? process.env.LOUPE_ISNET_DATA : null;
  const rows: BeyondRingsRow[] = [];
  for (const name of BEYOND_RINGS) {
    const image = await loadRgba(join(IMAGES, `${name}.jpg`));
    const { mask } = await segmentWithModel(image, network, { flatBackdrop });
    if (outDir) {
      mkdirSync(outDir, { recursive: true });
      await sharp(mask.data, { raw: { width: image.width, height: image.height, channels: 1 } }).png().toFile(join(outDir, `${name}.png`));
    }
    const finder = segmentOnPlainBackdrop(image).mask.data;
    let consensus: number | null = null, isnet: number | null = null, consensusShare: number | null = null;
    if (isnetDir) {
      const other = await isnetMask(isnetDir, name, image.width, image.height);
      const agree = new Uint8Array(finder.length);
      let agreeing = 0;
      for (let i = 0; i < agree.length; i++) if ((finder[i] >= 128) === (other[i] >= 128)) { agree[i] = 1; agreeing++; }
      consensus = iouWhere(mask.data, finder, agree);
      isnet = iou(mask.data, other);
      consensusShare = agreeing / agree.length;
    }
    rows.push({ name, consensus, isnet, finder: iou(mask.data, finder), consensusShare });
  }
  await network.release();
  return rows;
}

if (process.argv[1]?.endsWith('eval-mask-beyond-rings.ts')) {
  const args = process.argv.slice(2);
  const opt = (flag: string) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };
  const rows = await evaluateBeyondRings(opt('--models'), !args.includes('--no-flat-backdrop'), opt('--out'));
  if (args.includes('--json')) console.log(JSON.stringify(rows));
  const f = (v: number | null) => (v === null ? '  -  ' : v.toFixed(3));
  for (const r of rows) console.log(`${r.name.padEnd(44)} consensus ${f(r.consensus)}  IS-Net ${f(r.isnet)}  finder ${f(r.finder)}  (the references agree on ${f(r.consensusShare)} of the frame)`);
  const col = (k: 'consensus' | 'isnet' | 'finder') => rows.map((r) => r[k]).filter((v): v is number => v !== null);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  for (const k of ['consensus', 'isnet', 'finder'] as const) if (col(k).length) console.log(`${k}: median IoU ${median(col(k)).toFixed(3)}, mean ${mean(col(k)).toFixed(3)}`);
}
