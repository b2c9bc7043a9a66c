/**
 * Can the fidelity check count stones from the mask model's stones output instead of a given stones mask?
 * On ../shared/evaldata/synth (cast renders: what a retoucher receives), per scene:
 *  - the count the fidelity code derives (measureFidelity → measureStones → countOriginal) from the model's
 *    stones mask, with the model's own jewelry mask (what a run without masks would use);
 *  - the same count from the exact stones mask (so the counting code's own error is told apart from the
 *    model's);
 *  - the manifest's visible stone count (stones with ≥ 4 px directly visible);
 *  - the stones-mask IoU (threshold 128 on both).
 * Reads the evaluation data in place, never copies it.
 *
 *   npx tsx scripts/eval-stone-count.ts [--data /work/shared/evaldata] [--models DIR] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMask, type Mask, type Rgba8Image } from '../src/engine/image';
import { measureFidelity } from '../src/engine/fidelity/measureFidelity';
import { segmentWithModel } from '../src/engine/segmentation/modelMask';
import { loadMaskNetwork } from '../src/hosts/psd/loadMaskModel';
import { iou, loadGrey, loadRgba, median } from './eval-backdrop-mask';

export interface StoneCountRow {
  readonly id: string;
  readonly piece: string;
  readonly backdrop: string;
  /** Manifest: stones with ≥ 4 px visible. */
  readonly truth: number;
  /** Fidelity count from the exact stones mask (and exact jewelry mask). */
  readonly fromExactMask: number;
  /** Fidelity count from the model's stones mask (and the model's jewelry mask). */
  readonly fromModel: number;
  /** Stones-mask IoU, model vs exact; null when both are empty. */
  readonly stonesIou: number | null;
}

export interface StoneCountSummary {
  readonly scenes: number;
  /** Share of scenes where the count is exactly right. */
  readonly modelExact: number;
  readonly exactMaskExact: number;
  readonly modelMedianAbsError: number;
  readonly modelMeanAbsError: number;
  /** Scenes with stones where the model's mask yields none, and scenes without stones where it yields some. */
  readonly modelMissedAll: number;
  readonly modelPhantom: number;
  readonly medianStonesIou: number;
  readonly byPiece: Readonly<Record<string, { exact: number; scenes: number; medianIou: number }>>;
}

interface Scene { id: string; piece: string; backdrop: string; stone_count_visible: number }

function countFrom(image: Rgba8Image, jewelry: Mask, stones: Mask): number {
  if (!jewelry.data.some((v) => v >= 128)) return 0;
  return measureFidelity(image, image, { jewelryMask: jewelry, stonesMask: stones }).stones?.countOriginal ?? 0;
}

function asMask(g: { width: number; height: number; data: Uint8Array }): Mask {
  return createMask(g.width, g.height, Uint8Array.from(g.data));
}

export async function evaluateStoneCount(dataDir = '/work/shared/evaldata', log?: (row: StoneCountRow) => void, modelsDir?: string): Promise<StoneCountRow[]> {
  const synth = join(dataDir, 'synth');
  const { scenes } = JSON.parse(readFileSync(join(synth, 'manifest.json'), 'utf8')) as { scenes: Scene[] };
  const { network } = await loadMaskNetwork(modelsDir);
  const rows: StoneCountRow[] = [];
  try {
    for (const s of scenes) {
      const image = await loadRgba(join(synth, `${s.id}_cast.png`));
      const exactJewelry = asMask(await loadGrey(join(synth, `${s.id}_mask.png`)));
      const exactStones = asMask(await loadGrey(join(synth, `${s.id}_stones.png`)));
      const model = await segmentWithModel(image, network);
      const anyStones = exactStones.data.some((v) => v >= 128) || model.stones.data.some((v) => v >= 128);
      const row: StoneCountRow = {
        id: s.id, piece: s.piece, backdrop: s.backdrop, truth: s.stone_count_visible,
        fromExactMask: countFrom(image, exactJewelry, exactStones),
        fromModel: countFrom(image, model.mask, model.stones),
        stonesIou: anyStones ? iou(model.stones.data, exactStones.data) : null,
      };
      rows.push(row);
      log?.(row);
    }
  } finally {
    await network.release();
  }
  return rows;
}

export function summarise(rows: readonly StoneCountRow[]): StoneCountSummary {
  const share = (f: (r: StoneCountRow) => boolean) => rows.filter(f).length / rows.length;
  const errors = rows.map((r) => Math.abs(r.fromModel - r.truth));
  const ious = rows.flatMap((r) => (r.stonesIou === null ? [] : [r.stonesIou]));
  const byPiece: Record<string, { exact: number; scenes: number; medianIou: number }> = {};
  for (const piece of [...new Set(rows.map((r) => r.piece))]) {
    const of = rows.filter((r) => r.piece === piece);
    byPiece[piece] = {
      exact: of.filter((r) => r.fromModel === r.truth).length, scenes: of.length,
      medianIou: median(of.flatMap((r) => (r.stonesIou === null ? [] : [r.stonesIou]))),
    };
  }
  return {
    scenes: rows.length,
    modelExact: share((r) => r.fromModel === r.truth),
    exactMaskExact: share((r) => r.fromExactMask === r.truth),
    modelMedianAbsError: median(errors),
    modelMeanAbsError: errors.reduce((a, b) => a + b, 0) / errors.length,
    modelMissedAll: rows.filter((r) => r.truth > 0 && r.fromModel === 0).length,
    modelPhantom: rows.filter((r) => r.truth === 0 && r.fromModel > 0).length,
    medianStonesIou: median(ious),
    byPiece,
  };
}

if (process.argv[1]?.endsWith('eval-stone-count.ts')) {
  const args = process.argv.slice(2);
  const data = args.includes('--data') ? args[args.indexOf('--data') + 1] : undefined;
  const models = args.includes('--models') ? args[args.indexOf('--models') + 1] : undefined;
  const json = args.includes('--json');
  const rows = await evaluateStoneCount(data, json ? undefined : (r) => console.log(
    `${r.id} ${r.piece.padEnd(10)}${r.backdrop.padEnd(6)} truth ${String(r.truth).padStart(2)}  exact-mask ${String(r.fromExactMask).padStart(2)}  model ${String(r.fromModel).padStart(2)}  stones IoU ${r.stonesIou?.toFixed(3) ?? '  -  '}`,
  ), models);
  const summary = summarise(rows);
  if (json) console.log(JSON.stringify({ rows, summary }));
  else console.log(JSON.stringify(summary, null, 1));
}
