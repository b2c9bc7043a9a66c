/**
 * `loupe fidelity --report DIR`: a self-contained HTML page a retoucher (or a client) can open — the
 * verdict, every check with its figure and threshold, the original and the result side by side, the
 * heatmaps over the result, and a close-up crop (original | result) of every failing check.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRgba8, type Rgba8Image } from '../../engine/image';
import { resizeRgba8 } from '../../engine/resample';
import type { CheckRegion, FidelityCheck } from '../../engine/fidelity/checkResult';
import { over } from '../../engine/fidelity/overlayRecipe';
import { writeFileAtomically, writePng } from '../psd/writeFileAtomically';

export interface ReportInput {
  readonly title: string;
  readonly originalName: string;
  readonly resultName: string;
  readonly original: Rgba8Image;
  readonly result: Rgba8Image;
  readonly verdict: 'pass' | 'warn' | 'fail';
  readonly tier: string;
  readonly checks: readonly FidelityCheck[];
  readonly marketplace?: { readonly label: string; readonly checks: readonly FidelityCheck[] };
  /** Heatmap layers (canvas-sized RGBA) to show over the result, by caption. */
  readonly heatmaps: readonly { readonly caption: string; readonly layer: Rgba8Image }[];
  readonly notes: readonly string[];
}

/** Longest side of the full-view pictures in the report. */
const VIEW = 1400;
/** Side of the close-up crops. */
const CROP = 360;

/** Writes index.html and its pictures into `dir`; returns the HTML path. */
export async function writeHtmlReport(dir: string, r: ReportInput): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const view = (img: Rgba8Image) => {
    const k = Math.min(1, VIEW / Math.max(img.width, img.height));
    return k < 1 ? resizeRgba8(img, Math.max(1, Math.round(img.width * k)), Math.max(1, Math.round(img.height * k))) : img;
  };
  await writePng(join(dir, 'original.png'), view(r.original));
  await writePng(join(dir, 'result.png'), view(r.result));
  const heat: string[] = [];
  for (const [k, h] of r.heatmaps.entries()) {
    const file = `heatmap-${k + 1}.png`;
    await writePng(join(dir, file), view(over(r.result, h.layer)));
    heat.push(figure(file, h.caption));
  }
  const crops: string[] = [];
  const failing = [...r.checks, ...(r.marketplace?.checks ?? [])].filter((c) => c.verdict === 'fail');
  let n = 0;
  for (const c of failing) {
    for (const where of (c.where ?? []).slice(0, 3)) {
      if (where.width >= r.original.width || where.height >= r.original.height) continue; // a frame-wide band is no close-up
      const file = `crop-${++n}.png`;
      await writePng(join(dir, file), sideBySide(r.original, r.result, where));
      crops.push(figure(file, `${c.label}: original | result (${where.width} × ${where.height} px at ${where.x}, ${where.y})`));
    }
  }
  const html = page(r, heat, crops);
  const path = join(dir, 'index.html');
  await writeFileAtomically(path, new TextEncoder().encode(html));
  return path;
}

/** The region (padded to at least a third of its size) from both images, scaled to CROP px, side by side. */
function sideBySide(a: Rgba8Image, b: Rgba8Image, where: CheckRegion): Rgba8Image {
  const pad = Math.round(Math.max(where.width, where.height) / 3);
  const x0 = Math.max(0, where.x - pad), y0 = Math.max(0, where.y - pad);
  const x1 = Math.min(a.width, where.x + where.width + pad), y1 = Math.min(a.height, where.y + where.height + pad);
  const w = x1 - x0, h = y1 - y0;
  const k = CROP / Math.max(w, h);
  const cw = Math.max(1, Math.round(w * k)), ch = Math.max(1, Math.round(h * k));
  const gap = 8;
  const out = new Uint8Array((2 * cw + gap) * ch * 4).fill(255);
  for (const [slot, img] of [a, b].entries()) {
    const crop = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) crop.set(img.data.subarray(((y0 + y) * img.width + x0) * 4, ((y0 + y) * img.width + x1) * 4), y * w * 4);
    // Close-ups are enlarged with nearest neighbour: the retoucher judges pixels, not a smoothed guess.
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const sx = Math.min(w - 1, Math.floor(x / k)), sy = Math.min(h - 1, Math.floor(y / k));
        out.set(crop.subarray((sy * w + sx) * 4, (sy * w + sx) * 4 + 4), (y * (2 * cw + gap) + slot * (cw + gap) + x) * 4);
      }
    }
  }
  return createRgba8(2 * cw + gap, ch, out);
}

function figure(file: string, caption: string): string {
  return `<figure><img src="${esc(file)}" alt="${esc(caption)}"><figcaption>${esc(caption)}</figcaption></figure>`;
}

function checkRows(checks: readonly FidelityCheck[]): string {
  return checks.map((c) => {
    const fig = Number.isFinite(c.figure) ? `${c.figure}${c.unit ? ` ${esc(c.unit)}` : ''}` : '—';
    const line = `${c.comparison === '>=' ? '≥' : '≤'} ${c.threshold}${c.warnAt !== undefined && c.warnAt !== c.threshold ? ` (warn past ${c.warnAt})` : ''}`;
    return `<tr class="${c.verdict}"><td>${esc(c.label)}</td><td class="num">${fig}</td><td class="num">${line}</td><td class="v">${c.verdict}</td><td>${esc(c.detail ?? '')}</td></tr>`;
  }).join('\n');
}

function page(r: ReportInput, heat: string[], crops: string[]): string {
  const table = (checks: readonly FidelityCheck[]) =>
    `<table><thead><tr><th>Check</th><th>Measured</th><th>Needs</th><th>Verdict</th><th>What it means</th></tr></thead><tbody>\n${checkRows(checks)}\n</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1500px}
h1{font-size:20px;margin:0 0 4px} .verdict{font-size:18px;font-weight:600;padding:6px 12px;display:inline-block;border-radius:4px}
.verdict.pass{background:#d9f2dd}.verdict.warn{background:#fff1c2}.verdict.fail{background:#ffd6d6}
table{border-collapse:collapse;margin:12px 0 24px;width:100%} th,td{border-bottom:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}
td.num{white-space:nowrap;font-variant-numeric:tabular-nums} tr.fail td.v{color:#b00020;font-weight:600} tr.warn td.v{color:#8a6d00} tr.pass td.v{color:#1b7a2b} tr.skipped td{color:#888}
.row{display:flex;flex-wrap:wrap;gap:16px} figure{margin:0} figure img{max-width:680px;width:100%;border:1px solid #ccc;image-rendering:auto} figcaption{font-size:12px;color:#555}
</style></head><body>
<h1>${esc(r.title)}</h1>
<p>Original <code>${esc(r.originalName)}</code> against result <code>${esc(r.resultName)}</code>, judged for <b>${esc(r.tier)}</b>${r.marketplace ? ` and <b>${esc(r.marketplace.label)}</b>` : ''}.</p>
<p class="verdict ${r.verdict}">${r.verdict === 'pass' ? 'Passes' : r.verdict === 'warn' ? 'Passes with warnings' : 'Fails'}</p>
${r.notes.map((n) => `<p>${esc(n)}</p>`).join('\n')}
<h2>Fidelity</h2>
${table(r.checks)}
${r.marketplace ? `<h2>${esc(r.marketplace.label)}</h2>\n${table(r.marketplace.checks)}` : ''}
${crops.length ? `<h2>Where it fails</h2><div class="row">${crops.join('\n')}</div>` : ''}
<h2>Original and result</h2><div class="row">${figure('original.png', 'Original')}${figure('result.png', 'Result')}</div>
<h2>Heatmaps over the result</h2><div class="row">${heat.join('\n')}</div>
</body></html>
`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
