/**
 * `npm run bench`: Retouch metal on a 6000×4000 photo with its mask, time per phase and peak memory,
 * next to a baseline measured in the same run (decode the photo + write a PSD of it with no layers), so
 * the figures read as ratios that survive a slower or busier machine.
 *
 * Each case runs in its own process so peak RSS belongs to that case alone.
 * Targets (issue #2): engine ≤ 2 s excluding file encode/decode, peak ≤ 1.5 GB, on the 2-core box.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLE = join(root, 'samples', 'ring-yellow-gold-warm-cast.png');
const SAMPLE_MASK = join(root, 'samples', 'ring-yellow-gold-warm-cast.mask.png');
const W = 6000, H = 4000;

async function childMain(kind: string, photo: string, mask: string, outDir: string): Promise<void> {
  const t0 = performance.now();
  if (kind === 'baseline') {
    const { readImageFile } = await import('../../src/hosts/psd/readImageFile');
    const { writeLayeredPsd } = await import('../../src/hosts/psd/writeLayeredPsd');
    const { writeFileAtomically } = await import('../../src/hosts/psd/writeFileAtomically');
    const { toRgba8 } = await import('../../src/engine/image');
    const image = await readImageFile(photo);
    const t1 = performance.now();
    const psd = writeLayeredPsd({ source: image, recipe: { groupName: 'Baseline', width: image.width, height: image.height, layers: [] }, composite: toRgba8(image) });
    await writeFileAtomically(join(outDir, 'baseline.psd'), psd);
    const t2 = performance.now();
    report({ decode: t1 - t0, psdWrite: t2 - t1, total: t2 - t0 });
  } else {
    const { retouchOne } = await import('../../src/cli/retouchCommand');
    const r = await retouchOne({ input: photo, outDir, maskPath: mask, metal: 'auto', includeStones: false });
    report({ ...r.timingsMs, engine: r.timingsMs.analyse + r.timingsMs.composite });
  }
}

function report(timings: Record<string, number>): void {
  const rounded = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]));
  process.stdout.write(JSON.stringify({ timingsMs: rounded, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
}

/**
 * Two framings of the same ring at 6000×4000: as the sample is shot (its bounds about 28 % of the frame)
 * and cropped the way marketplaces want it (filling 90 % of the frame's height; bounds about 70 %), the
 * harder case for an engine that works within the piece's bounds.
 */
const FRAMINGS = [
  { name: 'as shot', crop: null },
  { name: 'filling the frame', crop: { left: 158, top: 87, width: 1235, height: 823 } },
] as const;

interface CaseResult { timingsMs: Record<string, number>; peakRssMb: number }

async function parentMain(): Promise<void> {
  if (!existsSync(SAMPLE)) throw new Error(`missing ${SAMPLE}: run 'npx tsx scripts/render-sample.ts' first`);
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  const runs = 3;
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const run = (kind: string, photo: string, mask: string): CaseResult => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', kind, photo, mask, dir], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split('\n').pop()!);
  let allMet = true;
  try {
    for (const [n, framing] of FRAMINGS.entries()) {
      const photo = join(dir, `ring-${n}.jpg`), mask = join(dir, `ring-${n}.mask.png`);
      const frame = (path: string) => (framing.crop ? sharp(path).extract(framing.crop) : sharp(path)).resize(W, H, { fit: 'fill' });
      await frame(SAMPLE).jpeg({ quality: 95 }).toFile(photo);
      await frame(SAMPLE_MASK).greyscale().png().toFile(mask);
      const base: CaseResult[] = [], retouch: CaseResult[] = [];
      for (let i = 0; i < runs; i++) { base.push(run('baseline', photo, mask)); retouch.push(run('retouch', photo, mask)); }
      const b = med(base.map((r) => r.timingsMs.total));
      console.log(`\nRetouch metal on ${W}×${H}, ring ${framing.name} (mask given), median of ${runs} runs, each in its own process`);
      console.log(`baseline (decode + layerless PSD write): ${b} ms, peak ${med(base.map((r) => r.peakRssMb))} MB`);
      for (const p of Object.keys(retouch[0].timingsMs)) {
        const v = med(retouch.map((r) => r.timingsMs[p]));
        console.log(`  ${p.padEnd(10)} ${String(v).padStart(6)} ms   ${(v / b).toFixed(2)}× baseline`);
      }
      const engine = med(retouch.map((r) => r.timingsMs.engine));
      const peak = med(retouch.map((r) => r.peakRssMb));
      allMet &&= engine <= 2000 && peak <= 1536;
      console.log(`engine (analyse + composite, no file I/O): ${engine} ms — target ≤ 2000 ms: ${engine <= 2000 ? 'met' : 'NOT met'}`);
      console.log(`peak RSS: ${peak} MB — target ≤ 1536 MB: ${peak <= 1536 ? 'met' : 'NOT met'}`);
    }
    console.log(`\nRetouch metal targets (issue #2): ${allMet ? 'all met' : 'NOT all met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const i = process.argv.indexOf('--child');
if (i >= 0) await childMain(process.argv[i + 1], process.argv[i + 2], process.argv[i + 3], process.argv[i + 4]);
else await parentMain();
