/**
 * Measures Loupe's mask model (models/jewelry-mask.onnx, via the same inference path as `loupe mask`)
 * against exact masks on ../shared/evaldata/synth (the cast renders: what a retoucher receives) and the
 * hand masks of the real ring photos in ../shared/evaldata/masks (coarse: IoU only), next to the
 * plain-backdrop segmentation it replaces. Reads the evaluation data in place, never copies it. The hand masks
 * are enlarged about the image centre (see hand-mask-registration.ts): real photos are also scored against them
 * scaled back ("registered"), which is what a perfect mask would score near 1 on.
 *
 *   npx tsx scripts/eval-mask-model.ts [--data /work/shared/evaldata] [--models DIR] [--alpha-contrast K] [--options JSON]
 *       [--within box|lasso] [--json]
 *
 * --options: segmentWithModel's options as JSON, e.g. '{"zoomSide":384}', to measure a setting before changing a default.
 * --within: as if the retoucher had drawn a rough selection around the piece (segmentWithModel's `within`), made
 * from the true mask: `box` its bounds grown by 10 % of their longer side (a marquee), `lasso` the mask itself
 * grown by 4 % (a loose lasso that follows the outline). The real photos' coarse hand masks are generous already.
 *
 * Boundary F: precision/recall of boundary pixels matched within 2 px (Martin et al.'s F-measure with a
 * distance tolerance), threshold 128 on both masks. Soft error (synthetic): Σ|mask − exact| over the exact
 * mask's Σ, both antialiased — what a layer mask or a cut-out shows, which IoU's cut at 128 does not; "fog" is
 * the part of it on the backdrop more than 2 px from the piece.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { segmentWithModel, type ModelMaskOptions } from '../src/engine/segmentation/modelMask';
import { segmentOnPlainBackdrop } from '../src/engine/segmentation/plainBackdropMask';
import { loadMaskNetwork } from '../src/hosts/psd/loadMaskModel';
import { iou, loadGrey, loadRgba, median } from './eval-backdrop-mask';
import { createMask, type Mask } from '../src/engine/image';
import { contentBounds, grownWithin, growWindow } from '../src/engine/maskWindow';
import { HAND_MASK_SCALE, handMaskedPhotos, scaleMaskAboutCentre } from './hand-mask-registration';

export interface MaskEvalRow {
  set: 'real' | 'synth'; name: string; backdrop: string; iou: number; boundaryF: number | null; plainIou: number | null; ms: number;
  /** Real photos: IoU against the hand mask scaled back by HAND_MASK_SCALE about the centre. */
  registeredIou: number | null;
  /** Synthetic: Σ|mask − truth| over Σ truth (soft coverage), and the part of it on background ≥ 3 px from the piece ("fog"). */
  softError: number | null; fog: number | null;
}

function softErrors(m: Uint8Array, t: Uint8Array, w: number, h: number): { softError: number; fog: number } {
  // Distance to the piece: background pixels with no truth > 0 within 2 px (square window).
  let err = 0, fog = 0, area = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = y * w + x, d = Math.abs(m[i] - t[i]);
    err += d; area += t[i];
    if (t[i] > 0 || m[i] === 0) continue;
    let near = false;
    for (let dy = -2; dy <= 2 && !near; dy++) for (let dx = -2; dx <= 2; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h && t[yy * w + xx] > 0) { near = true; break; }
    }
    if (!near) fog += m[i];
  }
  return { softError: err / Math.max(1, area), fog: fog / Math.max(1, area) };
}

/** Pixels ≥ 128 with a 4-neighbour < 128 (or on the frame edge). */
function boundary(m: Uint8Array, w: number, h: number): Uint8Array {
  const b = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = y * w + x;
    if (m[i] < 128) continue;
    if (x === 0 || y === 0 || x === w - 1 || y === h - 1 || m[i - 1] < 128 || m[i + 1] < 128 || m[i - w] < 128 || m[i + w] < 128) b[i] = 1;
  }
  return b;
}

/** Share of `from`'s boundary pixels with a boundary pixel of `to` within `tol` px (square window). */
function matched(from: Uint8Array, to: Uint8Array, w: number, h: number, tol: number): number {
  let n = 0, hit = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (!from[y * w + x]) continue;
    n++;
    search: for (let dy = -tol; dy <= tol; dy++) for (let dx = -tol; dx <= tol; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h && to[yy * w + xx]) { hit++; break search; }
    }
  }
  return n ? hit / n : 1;
}

export function boundaryF(pred: Uint8Array, truth: Uint8Array, w: number, h: number, tol = 2): number {
  const bp = boundary(pred, w, h), bt = boundary(truth, w, h);
  const precision = matched(bp, bt, w, h, tol), recall = matched(bt, bp, w, h, tol);
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

export type RoughSelectionKind = 'box' | 'lasso';

/** A rough selection around the piece as a retoucher might draw it, made from its true mask (see --within). */
export function roughSelectionAround(truth: Uint8Array, width: number, height: number, kind: RoughSelectionKind): Mask {
  const mask = createMask(width, height, truth);
  const bounds = contentBounds(mask, 0, 128);
  if (!bounds) return createMask(width, height);
  const side = Math.max(bounds.x1 - bounds.x0, bounds.y1 - bounds.y0);
  const out = createMask(width, height);
  if (kind === 'box') {
    const box = growWindow(bounds, Math.round(0.1 * side), width, height);
    for (let y = box.y0; y < box.y1; y++) out.data.fill(255, y * width + box.x0, y * width + box.x1);
  } else {
    const grown = grownWithin(mask, Math.round(0.04 * side), 128);
    for (let i = 0; i < grown.length; i++) out.data[i] = grown[i] * 255;
  }
  return out;
}

export async function evaluateModel(dataDir = '/work/shared/evaldata', modelsDir?: string, alphaContrast?: number, options: ModelMaskOptions = {}, within?: RoughSelectionKind): Promise<MaskEvalRow[]> {
  const { network } = await loadMaskNetwork(modelsDir);
  const cases: { set: 'real' | 'synth'; name: string; backdrop: string; image: string; truth: string }[] = [];
  for (const [name, image, truth] of handMaskedPhotos(dataDir)) cases.push({ set: 'real', name, backdrop: name.includes('grey') ? 'grey' : 'white', image, truth });
  const synthDir = join(dataDir, 'synth');
  const manifest = JSON.parse(readFileSync(join(synthDir, 'manifest.json'), 'utf8')) as { scenes: { id: string; backdrop: string; piece: string; metal: string }[] };
  for (const s of manifest.scenes) cases.push({ set: 'synth', name: `${s.id}_${s.piece}_${s.metal}`, backdrop: s.backdrop, image: join(synthDir, `${s.id}_cast.png`), truth: join(synthDir, `${s.id}_mask.png`) });
  const rows: MaskEvalRow[] = [];
  try {
    for (const c of cases) {
      const image = await loadRgba(c.image), truth = (await loadGrey(c.truth)).data;
      const t0 = performance.now();
      const withSelection = within ? { ...options, within: roughSelectionAround(truth, image.width, image.height, within) } : options;
      const result = await segmentWithModel(image, network, alphaContrast === undefined ? withSelection : { ...withSelection, alphaContrast });
      const ms = performance.now() - t0;
      let plainIou: number | null = null;
      try { plainIou = iou(segmentOnPlainBackdrop(image).mask.data, truth); } catch { /* refused: not a plain backdrop */ }
      rows.push({
        set: c.set, name: c.name, backdrop: c.backdrop, iou: iou(result.mask.data, truth),
        boundaryF: c.set === 'synth' ? boundaryF(result.mask.data, truth, image.width, image.height) : null, plainIou, ms,
        registeredIou: c.set === 'real' ? iou(result.mask.data, scaleMaskAboutCentre(truth, image.width, image.height, HAND_MASK_SCALE)) : null,
        ...(c.set === 'synth' ? softErrors(result.mask.data, truth, image.width, image.height) : { softError: null, fog: null }),
      });
    }
  } finally {
    await network.release();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('eval-mask-model.ts')) {
  const args = process.argv.slice(2);
  const opt = (k: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
  const contrast = opt('--alpha-contrast');
  const options = opt('--options');
  const within = opt('--within');
  if (within !== undefined && within !== 'box' && within !== 'lasso') throw new Error(`--within takes box or lasso, not ${within}`);
  const rows = await evaluateModel(opt('--data'), opt('--models'), contrast === undefined ? undefined : Number(contrast), options === undefined ? {} : JSON.parse(options) as ModelMaskOptions, within);
  if (args.includes('--json')) console.log(JSON.stringify(rows));
  else {
    for (const r of rows) console.log(`${r.set.padEnd(6)}${r.name.padEnd(52)}${r.backdrop.padEnd(7)}IoU ${r.iou.toFixed(3)}  BF ${r.boundaryF?.toFixed(3) ?? '  -  '}${r.registeredIou === null ? '' : `  registered ${r.registeredIou.toFixed(3)}`}  plain ${r.plainIou?.toFixed(3) ?? 'refused'}  ${r.ms.toFixed(0)} ms`);
    const of = (set: string) => rows.filter((r) => r.set === set);
    for (const set of ['synth', 'real']) {
      const rs = of(set);
      console.log(`${set}: median IoU ${median(rs.map((r) => r.iou)).toFixed(3)}` +
        (set === 'synth' ? `, median boundary F (2 px) ${median(rs.map((r) => r.boundaryF ?? 0)).toFixed(3)}` : '') +
        `; plain-backdrop segmentation median IoU ${median(rs.map((r) => r.plainIou ?? 0)).toFixed(3)} (refusals count 0)`);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const byBackdrop = [...new Set(of('synth').map((r) => r.backdrop))].sort()
      .map((b) => `${b} ${mean(of('synth').filter((r) => r.backdrop === b).map((r) => r.iou)).toFixed(3)}`);
    console.log(`mean IoU: synth ${mean(of('synth').map((r) => r.iou)).toFixed(3)} (${byBackdrop.join(', ')}), real ${mean(of('real').map((r) => r.iou)).toFixed(3)}`);
    const registered = of('real').map((r) => r.registeredIou ?? 0);
    console.log(`real against the registered hand masks (×${HAND_MASK_SCALE} about the centre): median IoU ${median(registered).toFixed(3)}, mean ${mean(registered).toFixed(3)}`);
    const synth = of('synth');
    console.log(`synth soft mask: median error ${median(synth.map((r) => r.softError ?? 0)).toFixed(3)} (mean ${mean(synth.map((r) => r.softError ?? 0)).toFixed(3)}) of the piece's area, ` +
      `of it fog beyond 2 px of the piece ${median(synth.map((r) => r.fog ?? 0)).toFixed(3)} (mean ${mean(synth.map((r) => r.fog ?? 0)).toFixed(3)})`);
  }
}
