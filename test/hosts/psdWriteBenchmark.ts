/**
 * One-off measurement (not a test): time and peak RSS of writing a 6000×4000 layered PSD with
 * 2 masked curves layers + 1 saved selection, like a typical "Retouch metal" run.
 *
 *   npx tsx test/hosts/psdWriteBenchmark.ts [width] [height]
 *
 * Run it in a fresh process per measurement (peak RSS is per process).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Recipe } from '../../src/recipe/recipe';
import { writeLayeredPsd } from '../../src/hosts/psd/writeLayeredPsd';
import { writeFileAtomically } from '../../src/hosts/psd/writeFileAtomically';
import { ellipseMask, makeComposite, makeSource } from './psdFixtures';

const width = Number(process.argv[2] ?? 6000);
const height = Number(process.argv[3] ?? 4000);
const mb = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;

const source = makeSource(width, height);
// Sensor-like noise so RLE does not flatter us (real photos barely compress).
for (let i = 0; i < source.data.length; i++) if (i % 4 !== 3) source.data[i] = Math.max(0, Math.min(255, source.data[i] + ((i * 2654435761) >>> 29) - 3));
const composite = makeComposite(source);
const jewelry = ellipseMask(width, height, 0.5, 0.5, 0.3, 0.35);
const recipe: Recipe = {
  groupName: 'Loupe · Retouch metal',
  width,
  height,
  layers: [
    { kind: 'adjustment', name: 'Metal tone', blendMode: 'normal', opacity: 1, mask: jewelry, adjustment: { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 128, output: 140 }, { input: 255, output: 255 }] } },
    { kind: 'adjustment', name: 'Hotspots', blendMode: 'normal', opacity: 0.7, mask: ellipseMask(width, height, 0.45, 0.4, 0.1, 0.08), adjustment: { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 230, output: 215 }, { input: 255, output: 240 }] } },
  ],
  selections: [{ name: 'Jewelry', mask: jewelry }],
};

const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
const out = join(dir, 'bench.psd');
const rssInputs = process.memoryUsage().rss;
const t0 = performance.now();
const bytes = writeLayeredPsd({ source, recipe, composite });
const t1 = performance.now();
await writeFileAtomically(out, bytes);
const t2 = performance.now();
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({
  size: `${width}x${height}`,
  buildPsdMs: Math.round(t1 - t0),
  writeFileMs: Math.round(t2 - t1),
  totalMs: Math.round(t2 - t0),
  fileSize: mb(statSync(out).size),
  rssWithInputs: mb(rssInputs),
  peakRss: mb(peak),
}));
rmSync(dir, { recursive: true, force: true });
