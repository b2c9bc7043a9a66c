/**
 * The detection table of the fidelity checks: for each test scene, the untouched result, the properly
 * retouched result (Retouch metal, rendered) and deliberately damaged results, with the verdict of every
 * check. A damage is caught when the check it targets fails; untouched and retouched must pass.
 *
 *   npx tsx scripts/eval-fidelity.ts [--tier listing] [--figures]   the detection table
 *   npx tsx scripts/eval-fidelity.ts --synth                        false alarms on 24 synth scenes
 *   npx tsx scripts/eval-fidelity.ts --speed                        timing at 6000×4000
 */
import { measureFidelity } from '../src/engine/fidelity/measureFidelity';
import { judgeFidelity } from '../src/engine/fidelity/judgeFidelity';
import { isTier, type Tier } from '../src/engine/fidelity/tiers';
import type { Rgba8Image } from '../src/engine/image';
import { resizeMask, resizeRgba8 } from '../src/engine/resample';
import { DAMAGES, SCENES, loadScene, retouched, untouched, type Scene } from '../test/engine/fidelity/damages';

const CHECK_IDS = ['ssim', 'structure', 'local-structure', 'colour-drift', 'metal-tone', 'highlights', 'stones', 'settings', 'sharpness', 'halo', 'spill', 'alignment', 'contact'];
const MARK: Record<string, string> = { pass: '·', warn: 'w', fail: '**F**', skipped: '–' };

export interface TableRow {
  readonly scene: string;
  readonly result: string;
  readonly expect: string | null;
  readonly verdicts: Record<string, string>;
  readonly figures: Record<string, number>;
  readonly caught: boolean;
}

export async function detectionTable(tier: Tier): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  const scenes = new Map<string, Scene>();
  for (const key of Object.keys(SCENES) as (keyof typeof SCENES)[]) scenes.set(key, await SCENES[key]());
  const evaluate = (scene: Scene, result: Rgba8Image, name: string, expect: string | null, pieceUntouched = false) => {
    const m = measureFidelity(scene.image, result, { jewelryMask: scene.mask, stonesMask: scene.stones, pieceUntouched });
    const v = judgeFidelity(m, tier);
    const verdicts: Record<string, string> = {}, figures: Record<string, number> = {};
    for (const c of v.checks) { verdicts[c.id] = c.verdict; figures[c.id] = c.figure; }
    const caught = expect ? verdicts[expect] === 'fail' : v.verdict !== 'fail';
    rows.push({ scene: scene.name, result: name, expect, verdicts, figures, caught });
  };
  for (const scene of scenes.values()) {
    evaluate(scene, untouched(scene), 'untouched', null);
    evaluate(scene, retouched(scene), 'retouched (Retouch metal)', null);
  }
  for (const [name, d] of Object.entries(DAMAGES)) {
    const scene = scenes.get(d.scene) as Scene;
    evaluate(scene, d.damage(scene), name, d.expect, d.pieceUntouched);
  }
  return rows;
}

/**
 * False alarms: every synth scene's cast render against itself (untouched) and against Retouch metal's
 * result. Counts, per check, how many of the 24 retouched results fail or warn.
 */
async function falseAlarms(tier: Tier): Promise<void> {
  const SYNTH = '/work/shared/evaldata/synth';
  const fails: Record<string, string[]> = {}, warns: Record<string, number> = {};
  let scenes = 0, clean = 0;
  for (let k = 0; k < 24; k++) {
    const id = String(k).padStart(3, '0');
    const scene = await loadScene(`synth ${id}`, `${SYNTH}/${id}_cast.png`, `${SYNTH}/${id}_mask.png`, `${SYNTH}/${id}_stones.png`);
    for (const [label, result] of [['untouched', untouched(scene)], ['retouched', retouched(scene)]] as const) {
      const v = judgeFidelity(measureFidelity(scene.image, result, { jewelryMask: scene.mask, stonesMask: scene.stones }), tier);
      if (label === 'retouched') { scenes++; if (v.verdict !== 'fail') clean++; }
      for (const c of v.checks) {
        if (c.verdict === 'fail') (fails[c.id] ??= []).push(`${id} ${label} (${c.figure})`);
        if (c.verdict === 'warn') warns[c.id] = (warns[c.id] ?? 0) + 1;
      }
    }
  }
  console.log(`Retouched results with no failing check: ${clean} of ${scenes}.`);
  for (const id of CHECK_IDS) console.log(`${id.padEnd(16)} fails: ${(fails[id] ?? []).join(', ') || 'none'}; warns: ${warns[id] ?? 0}`);
}

/**
 * Speed at catalog size: the sample scaled to 6000×4000 (24 MP), Retouch metal run on it, then the
 * fidelity measurement timed (median of 3).
 */
async function speed(): Promise<void> {
  const s = await SCENES.sample();
  const W = 6000, H = 4000;
  const big: Scene = { name: '24 MP', image: resizeRgba8(s.image, W, H), mask: resizeMask(s.mask, W, H), stones: s.stones && resizeMask(s.stones, W, H) };
  const result = retouched(big);
  const times: number[] = [];
  let last: ReturnType<typeof measureFidelity> | null = null;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    last = measureFidelity(big.image, result, { jewelryMask: big.mask, stonesMask: big.stones });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const v = last && judgeFidelity(last, 'listing');
  console.log(`6000×4000, piece window ${last?.frame.w}×${last?.frame.h}: median ${Math.round(times[1])} ms (${JSON.stringify(last?.timingsMs)}); verdict ${v?.verdict}; rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const tierArg = args.includes('--tier') ? args[args.indexOf('--tier') + 1] : 'listing';
  if (!isTier(tierArg)) throw new Error(`unknown tier ${tierArg}`);
  if (args.includes('--synth')) return falseAlarms(tierArg);
  if (args.includes('--speed')) return speed();
  const rows = await detectionTable(tierArg);
  const short = CHECK_IDS.map((id) => id.replace('local-structure', 'local').replace('colour-drift', 'drift').replace('metal-tone', 'tone').replace('highlights', 'clip'));
  console.log(`Tier: ${tierArg}. ** F ** = fails, w = warns, · = passes, – = not applicable. Expected check in [brackets].`);
  console.log(`| scene | result | ${short.join(' | ')} | ok |`);
  console.log(`|${'---|'.repeat(CHECK_IDS.length + 3)}`);
  for (const r of rows) {
    const cells = CHECK_IDS.map((id) => {
      const v = MARK[r.verdicts[id] ?? 'skipped'];
      const f = r.figures[id];
      const text = args.includes('--figures') && Number.isFinite(f) ? `${v} ${f}` : v;
      return id === r.expect ? `[${text}]` : text;
    });
    console.log(`| ${r.scene} | ${r.result} | ${cells.join(' | ')} | ${r.caught ? 'yes' : '**NO**'} |`);
  }
  const missed = rows.filter((r) => !r.caught).length;
  console.log(`\n${rows.length - missed} of ${rows.length} rows as expected.`);
}

if (process.argv[1] && process.argv[1].endsWith('eval-fidelity.ts')) main().catch((e) => { console.error(e); process.exit(1); });
