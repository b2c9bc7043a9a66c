/**
 * `npm run bench` (mask part): Loupe's mask model on one WASM thread (what UXP gives a panel) —
 * latency per inference at the sizes `loupe mask` feeds it, the whole `loupe mask` on a 6000×4000 photo
 * with its peak memory next to a decode-only baseline from the same run, and, when its data is
 * installed, the AGPL IS-Net of @imgly/background-removal-data as a reference for latency and IoU on the
 * same photos (benchmark only: never shipped or bundled; `npm install --no-save
 * @imgly/background-removal-data` or set LOUPE_ISNET_DATA to its dist/ folder).
 *
 * Targets (issue #3): ≤ 0.8 s per inference on one thread; ≥ 10× faster than IS-Net at equal or better IoU.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { iou, loadGrey } from '../../scripts/eval-backdrop-mask';
import { HAND_MASK_SCALE, scaleMaskAboutCentre } from '../../scripts/hand-mask-registration';
import { isnetMaskOf, openIsnet } from '../../scripts/isnet-reference';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLE = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
const EVAL = join(root, '..', 'shared', 'evaldata');
const SIZES: [number, number][] = [[256, 256], [512, 352], [768, 768]];

interface Report { [key: string]: unknown }
const out = (r: Report) => process.stdout.write(JSON.stringify(r) + '\n');
/** The median; of an even count, the mean of the middle two (the 18 photos' upper middle one flattered either side). */
const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function latency(): Promise<void> {
  const { loadMaskNetwork } = await import('../../src/hosts/psd/loadMaskModel');
  const t0 = performance.now();
  const { network } = await loadMaskNetwork();
  const loadMs = performance.now() - t0;
  const perSize: Record<string, number> = {};
  for (const [w, h] of SIZES) {
    const planes = new Float32Array(3 * w * h).map((_, i) => (i * 2654435761 % 1000) / 1000);
    await network.run(planes, w, h); // warm-up
    const times: number[] = [];
    for (let k = 0; k < 5; k++) { const t = performance.now(); await network.run(planes, w, h); times.push(performance.now() - t); }
    perSize[`${w}x${h}`] = Math.round(med(times));
  }
  await network.release();
  out({ loadMs: Math.round(loadMs), perSize });
}

async function wholeMask(photo: string, dir: string): Promise<void> {
  const { maskOne } = await import('../../src/cli/maskCommand');
  const r = await maskOne({ input: photo, out: join(dir, 'mask.png') });
  out({ timingsMs: r.timingsMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
}

async function decodeOnly(photo: string): Promise<void> {
  const { readImageFile } = await import('../../src/hosts/psd/readImageFile');
  const t0 = performance.now();
  await readImageFile(photo);
  out({ ms: Math.round(performance.now() - t0), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
}

/**
 * IoU against the case's mask, and for a real photo also against its hand mask registered (scaled back by
 * HAND_MASK_SCALE about the centre: the hand masks run 3.5 % large, see scripts/hand-mask-registration.ts).
 */
async function scores(pred: Uint8Array, c: { name: string; truth: string }): Promise<{ iou: number; registeredIou: number | null }> {
  const truth = await loadGrey(c.truth);
  const registeredIou = c.name.startsWith('real ') ? iou(pred, scaleMaskAboutCentre(truth.data, truth.width, truth.height, HAND_MASK_SCALE)) : null;
  return { iou: iou(pred, truth.data), registeredIou };
}

/** The evaluation photos with exact or hand masks: real rings on white/grey, synthetic cast renders on plain backdrops. */
function evalCases(): { name: string; image: string; truth: string }[] {
  const cases: { name: string; image: string; truth: string }[] = [];
  const masks = join(EVAL, 'masks');
  if (!existsSync(masks)) return cases;
  for (const f of execFileSync('ls', [masks], { encoding: 'utf8' }).split('\n').filter((n) => n.endsWith('.mask.jpg'))) {
    const name = f.replace('.mask.jpg', '');
    cases.push({ name: `real ${name}`, image: join(EVAL, 'images', `${name}.jpg`), truth: join(masks, f) });
  }
  const manifest = JSON.parse(readFileSync(join(EVAL, 'synth', 'manifest.json'), 'utf8')) as { scenes: { id: string; backdrop: string }[] };
  for (const s of manifest.scenes.filter((s) => s.backdrop !== 'skin').slice(0, 8)) {
    cases.push({ name: `synth ${s.id}`, image: join(EVAL, 'synth', `${s.id}_cast.png`), truth: join(EVAL, 'synth', `${s.id}_mask.png`) });
  }
  return cases;
}

/** IoU of Loupe's model on the evaluation photos. */
async function loupeIou(): Promise<void> {
  const { loadMaskNetwork } = await import('../../src/hosts/psd/loadMaskModel');
  const { readImageFile } = await import('../../src/hosts/psd/readImageFile');
  const { segmentWithModel } = await import('../../src/engine/segmentation/modelMask');
  const { network } = await loadMaskNetwork();
  const rows: Report[] = [];
  for (const c of evalCases()) {
    const image = await readImageFile(c.image);
    const t = performance.now();
    const r = await segmentWithModel(image, network);
    const ms = Math.round(performance.now() - t);
    rows.push({ name: c.name, ...(await scores(r.mask.data, c)), ms });
  }
  await network.release();
  out({ rows });
}

/** The IS-Net reference (scripts/isnet-reference.ts): at its 1024² input on one thread. */
async function isnet(dataDir: string): Promise<void> {
  const reference = await openIsnet(dataDir);
  const rows: Report[] = [];
  for (const c of evalCases()) {
    const { mask, ms } = await isnetMaskOf(reference, c.image);
    rows.push({ name: c.name, ...(await scores(mask, c)), ms: Math.round(ms) });
  }
  out({ rows });
}

function isnetData(): string | null {
  if (process.env.LOUPE_ISNET_DATA && existsSync(join(process.env.LOUPE_ISNET_DATA, 'resources.json'))) return process.env.LOUPE_ISNET_DATA;
  try {
    return dirname(createRequire(import.meta.url).resolve('@imgly/background-removal-data/dist/resources.json'));
  } catch {
    return null;
  }
}

async function parentMain(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-mask-bench-'));
  const child = (...args: string[]) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').pop()!);
  try {
    const lat = child('latency');
    console.log('\nMask model on one WASM thread (onnxruntime-web, no proxy, as in UXP), median of 5 after a warm-up');
    console.log(`  load + sha256 check + session: ${lat.loadMs} ms`);
    for (const [size, ms] of Object.entries(lat.perSize as Record<string, number>)) console.log(`  ${size.padEnd(9)} ${String(ms).padStart(5)} ms per inference${size === '512x352' ? ' (the coarse pass of a 3:2 photo)' : ''}`);
    const worst = Math.max(...Object.values(lat.perSize as Record<string, number>));
    console.log(`  target ≤ 800 ms per inference: ${worst <= 800 ? 'met' : 'NOT met'} (largest input ${worst} ms)`);

    const photo = join(dir, 'ring-6000x4000.jpg');
    await sharp(SAMPLE).resize(6000, 4000, { fit: 'fill' }).jpeg({ quality: 95 }).toFile(photo);
    const base = [0, 1, 2].map(() => child('decode', photo));
    const runs = [0, 1, 2].map(() => child('whole', photo, dir));
    const b = med(base.map((r) => r.ms));
    console.log(`\n'loupe mask' on 6000×4000, median of 3 processes; baseline decode ${b} ms, peak ${med(base.map((r) => r.peakRssMb))} MB`);
    for (const phase of Object.keys(runs[0].timingsMs)) {
      const v = med(runs.map((r) => r.timingsMs[phase]));
      console.log(`  ${phase.padEnd(8)} ${String(v).padStart(6)} ms   ${(v / b).toFixed(2)}× baseline`);
    }
    console.log(`  peak RSS ${med(runs.map((r) => r.peakRssMb))} MB`);

    type Row = { name: string; iou: number; registeredIou: number | null; ms: number };
    const ours = child('loupe-iou').rows as Row[];
    const data = isnetData();
    const ref = data ? (child('isnet', data).rows as Row[]) : null;
    console.log(`\nIoU on the evaluation photos (${ours.length}); IS-Net (AGPL reference, fp16, 1024², one thread): ${ref ? 'measured' : 'not installed, skipped'}`);
    const reg = (r: Row) => (r.registeredIou === null ? '' : ` reg. ${r.registeredIou.toFixed(3)}`);
    for (const [k, r] of ours.entries()) console.log(`  ${r.name.padEnd(58)} Loupe ${r.iou.toFixed(3)}${reg(r)} (${r.ms} ms)${ref ? `   IS-Net ${ref[k].iou.toFixed(3)}${reg(ref[k])} (${ref[k].ms} ms)` : ''}`);
    const mIou = med(ours.map((r) => r.iou)), mMs = med(ours.map((r) => r.ms));
    console.log(`  median: Loupe IoU ${mIou.toFixed(3)}, ${mMs} ms a photo (whole pipeline)`);
    if (ref) {
      const rIou = med(ref.map((r) => r.iou)), rMs = med(ref.map((r) => r.ms));
      console.log(`  median: IS-Net IoU ${rIou.toFixed(3)}, ${rMs} ms an inference — Loupe is ${(rMs / mMs).toFixed(1)}× faster; target ≥ 10× at equal or better IoU: ${rMs / mMs >= 10 && mIou >= rIou ? 'met' : 'NOT met'}`);
      // The hand masks run 3.5 % large, which rewards a fatter mask; the same photos against them registered:
      const registered = (rows: Row[]) => med(rows.map((r) => r.registeredIou ?? r.iou));
      const better = ours.filter((r, k) => (r.registeredIou ?? r.iou) > (ref[k].registeredIou ?? ref[k].iou)).length;
      console.log(`  with the real photos' hand masks registered (×${HAND_MASK_SCALE} about the centre): Loupe ${registered(ours).toFixed(3)}, IS-Net ${registered(ref).toFixed(3)}; Loupe better on ${better} of ${ours.length}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const i = process.argv.indexOf('--child');
if (i >= 0) {
  const [kind, a, b] = process.argv.slice(i + 1);
  if (kind === 'latency') await latency();
  else if (kind === 'whole') await wholeMask(a, b);
  else if (kind === 'decode') await decodeOnly(a);
  else if (kind === 'loupe-iou') await loupeIou();
  else if (kind === 'isnet') await isnet(a);
} else await parentMain();
