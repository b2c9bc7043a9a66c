/**
 * Does the mask keep what a large photo shows? Measures Loupe's mask (the `loupe mask` pipeline) on renders
 * with exact masks at their full resolution, next to the same pipeline with its full-resolution refinement
 * off, guided by luminance, or as it was before 2026-12-05 (guided by luminance over 2 cells, ε 0.01), and
 * next to the photo shrunk to 512 px with the mask brought back up (what a tool at a fixed size gives).
 *
 * The renders are generate_pieces.py's --in-scene output (NNNNN_rgb.png, _metal.png, _stones.png), e.g. the
 * twelve of the model card's "Large photos" (about a minute each on 2 cores):
 *
 *   blender -b --python-exit-code 1 -P models/training/generate_pieces.py -- --out build/hires --count 4 --seed 99 \
 *       --in-scene --size 2048 --samples 16 --kinds chain,pendant,solitaire,halo --surfaces white,grey
 *   blender -b --python-exit-code 1 -P models/training/generate_pieces.py -- --out build/hires --start 4 --count 8 \
 *       --seed 99 --in-scene --size 2048 --samples 16 --kinds chain,pendant,plate-pendant,eternity,stud,hoop,band,pair \
 *       --surfaces white,grey,skin
 *   npx tsx scripts/eval-mask-resolution.ts build/hires [--as-shipped] [--models DIR]
 *
 * It also prints the shipped pipeline's medians by the renders' kind and surface (from each NNNNN.json).
 *
 * They come from the renderer the model was trained on (new pieces, not the training's), so the absolute
 * figures flatter it; the comparison between the variants is what this is for. Boundary F: 2 px tolerance.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { meanOf as mean } from '../src/engine/fidelity/fidelityFrame';
import { createRgba8, type Rgba8Image } from '../src/engine/image';
import { segmentWithModel, type ModelMaskOptions } from '../src/engine/segmentation/modelMask';
import { loadMaskNetwork } from '../src/hosts/psd/loadMaskModel';
import { iou, median } from './eval-backdrop-mask';
import { boundaryF } from './eval-mask-model';

async function readRgba(path: string, side?: number): Promise<Rgba8Image> {
  const s = sharp(path).removeAlpha().ensureAlpha();
  const { data, info } = await (side ? s.resize(side, side, { kernel: 'lanczos3' }) : s).raw().toBuffer({ resolveWithObject: true });
  return createRgba8(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
}
async function readGrey(input: string | { data: Uint8Array; side: number }, side?: number): Promise<Uint8Array> {
  const s = typeof input === 'string' ? sharp(input) : sharp(Buffer.from(input.data), { raw: { width: input.side, height: input.side, channels: 1 } });
  const { data } = await (side ? s.resize(side, side, { kernel: 'cubic' }) : s).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

const VARIANTS: readonly (readonly [string, ModelMaskOptions])[] = [
  ['as shipped', {}],
  ['no refinement', { refineEpsilon: 0 }],
  ['guided by luminance', { refineGuide: 'luma' }],
  ['before (luma, ε 0.01, 2 cells)', { refineGuide: 'luma', refineEpsilon: 0.01, refineRadius: 2 }],
];

const dir = process.argv[2];
/** --as-shipped: only the pipeline as shipped (a quick before/after of a change). */
const asShippedOnly = process.argv.includes('--as-shipped');
if (!dir) throw new Error('usage: npx tsx scripts/eval-mask-resolution.ts DIR (renders from generate_pieces.py --in-scene)');
const ids = readdirSync(dir).filter((f) => f.endsWith('_rgb.png')).map((f) => f.slice(0, -'_rgb.png'.length)).sort();
const modelsDir = process.argv.includes('--models') ? process.argv[process.argv.indexOf('--models') + 1] : undefined;
const { network } = await loadMaskNetwork(modelsDir);
/** Each render's kind and surface (generate_pieces.py writes them beside it), for the grouped medians. */
const groups = new Map<string, number[]>();
const addToGroups = (id: string, value: number) => {
  const infoPath = join(dir, `${id}.json`);
  if (!existsSync(infoPath)) return;
  const info = JSON.parse(readFileSync(infoPath, 'utf8')) as { kind?: string; surface?: string; studio?: string };
  const keys = [`kind ${info.kind}`, `surface ${info.surface}${info.studio === 'tent' ? ' (tent)' : ''}`];
  for (const key of keys) groups.set(key, (groups.get(key) ?? []).concat(value));
};
const scores = new Map<string, { iou: number[]; bf: number[] }>();
const add = (name: string, i: number, b: number) => { const s = scores.get(name) ?? { iou: [], bf: [] }; s.iou.push(i); s.bf.push(b); scores.set(name, s); };
try {
  for (const id of ids) {
    const [metal, stones] = await Promise.all([readGrey(join(dir, `${id}_metal.png`)), readGrey(join(dir, `${id}_stones.png`))]);
    const truth = metal.map((v, i) => Math.max(v, stones[i]));
    const image = await readRgba(join(dir, `${id}_rgb.png`));
    const side = image.width;
    const row: string[] = [];
    for (const [name, options] of asShippedOnly ? VARIANTS.slice(0, 1) : VARIANTS) {
      const { mask } = await segmentWithModel(image, network, options);
      const i = iou(mask.data, truth), b = boundaryF(mask.data, truth, side, side);
      add(name, i, b); row.push(`${name} ${i.toFixed(3)} / ${b.toFixed(3)}`);
      if (name === 'as shipped') addToGroups(id, i);
    }
    if (!asShippedOnly) {
      const small = await segmentWithModel(await readRgba(join(dir, `${id}_rgb.png`), 512), network);
      const up = await readGrey({ data: small.mask.data, side: 512 }, side);
      const i = iou(up, truth), b = boundaryF(up, truth, side, side);
      add('at 512 px, brought up', i, b); row.push(`at 512 px, brought up ${i.toFixed(3)} / ${b.toFixed(3)}`);
    }
    console.log(`${id} (${side}²), IoU / boundary F: ${row.join('; ')}`);
  }
} finally {
  await network.release();
}
for (const [name, s] of scores) {
  console.log(`mean over ${ids.length}: ${name.padEnd(32)} IoU ${mean(s.iou).toFixed(3)}  boundary F ${mean(s.bf).toFixed(3)}  (medians ${median(s.iou).toFixed(3)} / ${median(s.bf).toFixed(3)})`);
}
for (const [key, values] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${key.padEnd(24)} median IoU ${median(values).toFixed(3)}  mean ${mean(values).toFixed(3)}  (${values.length})`);
}
