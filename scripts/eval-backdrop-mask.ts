/**
 * Evaluate the automatic plain-backdrop jewelry mask against hand masks (real photos) and exact
 * masks (synthetic renders). Reads the evaluation data in place, never copies it.
 *
 *   npx tsx scripts/eval-backdrop-mask.ts [--data /work/shared/evaldata] [--out dir-for-overlays] [--json]
 *
 * Prints IoU per image (threshold 128 on both masks) and the medians. Images whose backdrop is refused
 * are listed with the refusal; for 'skin' synth scenes a refusal is the expected answer.
 */
import { readdirSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import sharp from 'sharp';
import { createRgba8, type Rgba8Image } from '../src/engine/image';
import { segmentOnPlainBackdrop } from '../src/engine/segmentation/plainBackdropMask';

export interface EvalRow {
  set: 'real' | 'synth';
  name: string;
  backdrop: string;
  iou: number | null; // null = refused
  refused?: string;
  ms: number;
  confidence?: number;
}

export async function loadRgba(path: string): Promise<Rgba8Image> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return createRgba8(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
}

export async function loadGrey(path: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let uni = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] >= 128;
    const y = b[i] >= 128;
    if (x && y) inter++;
    if (x || y) uni++;
  }
  return uni ? inter / uni : 1;
}

export function median(v: number[]): number {
  if (!v.length) return NaN;
  const a = [...v].sort((p, q) => p - q);
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]);
}

async function runOne(set: 'real' | 'synth', name: string, backdrop: string, imgPath: string, maskPath: string, outDir?: string): Promise<EvalRow> {
  const img = await loadRgba(imgPath);
  const truth = await loadGrey(maskPath);
  if (truth.width !== img.width || truth.height !== img.height) throw new Error(`${name}: mask size differs from image`);
  const t0 = performance.now();
  try {
    const res = segmentOnPlainBackdrop(img);
    const ms = performance.now() - t0;
    if (outDir) {
      // overlay: red = missed truth, blue = extra, white/grey = image
      const o = Buffer.alloc(img.width * img.height * 3);
      for (let p = 0; p < img.width * img.height; p++) {
        const g = (img.data[p * 4] + img.data[p * 4 + 1] + img.data[p * 4 + 2]) / 3;
        const m = res.mask.data[p] >= 128;
        const t = truth.data[p] >= 128;
        o[p * 3] = m && t ? g * 0.5 : t ? 255 : g * 0.6;
        o[p * 3 + 1] = m && t ? 128 + g * 0.5 : t ? 0 : g * 0.6;
        o[p * 3 + 2] = m && !t ? 255 : g * 0.6;
      }
      await sharp(o, { raw: { width: img.width, height: img.height, channels: 3 } }).png().toFile(join(outDir, `${set}-${name}.png`));
    }
    return { set, name, backdrop, iou: iou(res.mask.data, truth.data), ms, confidence: res.confidence };
  } catch (e) {
    return { set, name, backdrop, iou: null, refused: (e as Error).message, ms: performance.now() - t0 };
  }
}

export async function evaluate(dataDir = '/work/shared/evaldata', outDir?: string): Promise<EvalRow[]> {
  if (outDir) mkdirSync(outDir, { recursive: true });
  const rows: EvalRow[] = [];
  const maskDir = join(dataDir, 'masks');
  for (const f of readdirSync(maskDir).filter((n) => n.endsWith('.mask.jpg')).sort()) {
    const name = basename(f, '.mask.jpg');
    const img = join(dataDir, 'images', `${name}.jpg`);
    if (!existsSync(img)) continue;
    rows.push(await runOne('real', name, name.includes('grey') ? 'grey' : 'white', img, join(maskDir, f), outDir));
  }
  const synthDir = join(dataDir, 'synth');
  const manifest = JSON.parse(readFileSync(join(synthDir, 'manifest.json'), 'utf8')) as { scenes: { id: string; backdrop: string; piece: string; metal: string }[] };
  for (const s of manifest.scenes) {
    rows.push(await runOne('synth', `${s.id}_${s.piece}_${s.metal}`, s.backdrop, join(synthDir, `${s.id}_cast.png`), join(synthDir, `${s.id}_mask.png`), outDir));
  }
  return rows;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const rows = await evaluate(opt('--data'), opt('--out'));
  if (args.includes('--json')) {
    console.log(JSON.stringify(rows, null, 1));
    return;
  }
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad('set', 6)}${pad('image', 52)}${pad('backdrop', 9)}${pad('IoU', 8)}${pad('conf', 6)}ms / refusal`);
  for (const r of rows) {
    const iouS = r.iou === null ? 'refused' : r.iou.toFixed(3);
    const conf = r.confidence === undefined ? '' : r.confidence.toFixed(2);
    console.log(`${pad(r.set, 6)}${pad(r.name, 52)}${pad(r.backdrop, 9)}${pad(iouS, 8)}${pad(conf, 6)}${r.refused ? r.refused.slice(0, 110) : r.ms.toFixed(0)}`);
  }
  const real = rows.filter((r) => r.set === 'real');
  const plain = rows.filter((r) => r.set === 'synth' && (r.backdrop === 'white' || r.backdrop === 'grey'));
  const skin = rows.filter((r) => r.set === 'synth' && r.backdrop === 'skin');
  const iouOf = (rs: EvalRow[]) => rs.map((r) => r.iou ?? 0); // a refusal on a plain backdrop counts as 0
  console.log('');
  console.log(`real photos (hand masks, ${real.length}): median IoU ${median(iouOf(real)).toFixed(3)}, refused ${real.filter((r) => r.iou === null).length}`);
  console.log(`synth white/grey (${plain.length}): median IoU ${median(iouOf(plain)).toFixed(3)}, refused ${plain.filter((r) => r.iou === null).length}`);
  console.log(
    `synth skin (${skin.length}): refused ${skin.filter((r) => r.iou === null).length}; segmented ${skin.filter((r) => r.iou !== null).map((r) => `${r.name}=${r.iou!.toFixed(3)}`).join(', ') || 'none'}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('eval-backdrop-mask.ts')) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
