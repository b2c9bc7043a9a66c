/**
 * How often the mask model's metal-family output (yellow gold / rose gold / white metal) names the metal
 * right, from the whole-frame pass that `loupe mask` and Retouch metal read it from (readMetalFamily). On the 24
 * synth scenes as cast and as neutral renders (manifest metal), the real photos whose file names say the
 * metal (gold → yellow gold; white gold, silver, steel, platinum → white metal), and the bundled samples.
 * Reads the evaluation data in place, never copies it.
 *
 *   npx tsx scripts/eval-metal-family.ts [--data /work/shared/evaldata] [--models DIR] [--json]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { familyByName, METAL_FAMILIES, readMetalFamily, type MetalFamily } from '../src/engine/segmentation/modelMask';
import { confidentFamily, MODEL_FAMILY_CONFIDENCE, type FamilyProbabilities, type ModelFamilyReading } from '../src/engine/metal/modelFamilyReading';
import { loadMaskNetwork } from '../src/hosts/psd/loadMaskModel';
import { loadRgba } from './eval-backdrop-mask';

export interface FamilyRow {
  set: string; name: string; truth: MetalFamily; said: MetalFamily; p: number;
  /** The model's probabilities of the three families. */
  family: FamilyProbabilities;
  /** What Retouch metal's auto-detection takes from the model: a near-sure white metal or gold, else null. */
  nearSure: ModelFamilyReading | null;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The family a file name or a manifest metal names, or null when it names none. */
export function familyOf(name: string): MetalFamily | null {
  const n = name.toLowerCase().replace(/[_\s]/g, '-');
  if (/rose-?gold/.test(n)) return 'rose-gold';
  if (/white-?gold|silver|platinum|steel/.test(n)) return 'white-metal';
  if (/gold/.test(n)) return 'yellow-gold';
  return null;
}

export async function evaluateFamily(dataDir = '/work/shared/evaldata', modelsDir?: string): Promise<FamilyRow[]> {
  const cases: { set: string; name: string; file: string; truth: MetalFamily }[] = [];
  const manifest = JSON.parse(readFileSync(join(dataDir, 'synth', 'manifest.json'), 'utf8')) as { scenes: { id: string; metal: string }[] };
  for (const s of manifest.scenes) {
    const truth = familyOf(s.metal);
    if (!truth) continue;
    cases.push({ set: 'synth cast', name: s.id, file: join(dataDir, 'synth', `${s.id}_cast.png`), truth });
    cases.push({ set: 'synth neutral', name: s.id, file: join(dataDir, 'synth', `${s.id}_ref.png`), truth });
  }
  for (const f of readdirSync(join(dataDir, 'images')).sort()) {
    const truth = familyOf(f);
    if (truth) cases.push({ set: 'real', name: f, file: join(dataDir, 'images', f), truth });
  }
  for (const f of ['ring-yellow-gold-warm-cast.png', 'ring-yellow-gold-neutral.png']) cases.push({ set: 'sample', name: f, file: join(root, 'samples', f), truth: 'yellow-gold' });

  const { network } = await loadMaskNetwork(modelsDir);
  const rows: FamilyRow[] = [];
  try {
    for (const c of cases) {
      let image;
      try { image = await loadRgba(c.file); } catch { continue; }
      const family = await readMetalFamily(image, network);
      if (!family) continue; // under 16 px: nothing to read
      const top = family.indexOf(Math.max(...family));
      rows.push({ set: c.set, name: c.name, truth: c.truth, said: METAL_FAMILIES[top], p: family[top], family: familyByName(family), nearSure: confidentFamily(familyByName(family)) });
    }
  } finally {
    await network.release();
  }
  return rows;
}

if (process.argv[1]?.endsWith('eval-metal-family.ts')) {
  const args = process.argv.slice(2);
  const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const rows = await evaluateFamily(opt('--data'), opt('--models'));
  if (args.includes('--json')) console.log(JSON.stringify(rows));
  else {
    for (const r of rows) {
      const sure = r.nearSure ? `  near sure: ${r.nearSure.family} ${(100 * r.nearSure.probability).toFixed(0)} %` : '';
      console.log(`${r.set.padEnd(13)} ${r.name.padEnd(52)} ${r.truth.padEnd(11)} said ${r.said.padEnd(11)} ${(100 * r.p).toFixed(0)} %${r.said === r.truth ? '' : '  ✗'}${sure}`);
    }
    for (const set of [...new Set(rows.map((r) => r.set))]) {
      const of = rows.filter((r) => r.set === set);
      const perFamily = METAL_FAMILIES.map((f) => { const g = of.filter((r) => r.truth === f); return `${f} ${g.filter((r) => r.said === f).length}/${g.length}`; }).join(', ');
      const sure = of.filter((r) => r.nearSure);
      const sureRight = sure.filter((r) => (r.nearSure?.family === 'white-metal') === (r.truth === 'white-metal')).length;
      console.log(`${set}: ${of.filter((r) => r.said === r.truth).length} of ${of.length} right (${perFamily}); ` +
        `near sure (≥ ${100 * MODEL_FAMILY_CONFIDENCE} %) of white metal or gold ${sure.length} times, right ${sureRight}`);
    }
    // How sure the model ever was of the wrong side (gold for a white metal, white metal for a gold).
    const wrongSide = rows.map((r) => r.truth === 'white-metal' ? r.family['yellow-gold'] + r.family['rose-gold'] : r.family['white-metal']);
    const worst = wrongSide.indexOf(Math.max(...wrongSide));
    console.log(`white metal or gold: the wrong side got at most ${(100 * wrongSide[worst]).toFixed(0)} % (${rows[worst].set} ${rows[worst].name})`);
  }
}
