/**
 * Measurements → checks for one use (tier). Checks on things a retouch should never change (structure,
 * stones, settings, sharpness, halos, spill, alignment) judge the result against the original. Checks on
 * how good the photo is (metal tone, highlights, contact shadow) judge the result on its own, but a
 * shortcoming the original already had is a warning, not a failure: this is a fidelity check, and an
 * untouched result is faithful by definition.
 */
import { castName, distanceOutsideWindow } from './colourMeasures';
import { judge, skipped, type CheckRegion, type FidelityCheck } from './checkResult';
import type { FidelityMeasures } from './measureFidelity';
import { stonesNeedMaskDetail } from './stonesNeedMask';
import { TIER_THRESHOLDS, type Line, type Tier } from './tiers';

export interface FidelityVerdict {
  readonly tier: Tier;
  readonly checks: readonly FidelityCheck[];
  /** 'fail' if any check fails, 'warn' if any warns, else 'pass'. */
  readonly verdict: 'pass' | 'warn' | 'fail';
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const r3 = (v: number) => Math.round(v * 1000) / 1000;
const r1 = (v: number) => Math.round(v * 10) / 10;

export interface JudgeOptions {
  /** How to give a stones mask, in the caller's words (default: the command line's --stones). */
  readonly howToGiveStones?: string;
}

export function judgeFidelity(m: FidelityMeasures, tier: Tier, options: JudgeOptions = {}): FidelityVerdict {
  const T = TIER_THRESHOLDS[tier];
  const { win } = m.frame;
  const full = (b: { x: number; y: number; width: number; height: number } | null | undefined): CheckRegion[] | undefined =>
    b ? [{ x: b.x + win.x0, y: b.y + win.y0, width: b.width, height: b.height }] : undefined;
  const atLeast = (line: Line) => ({ threshold: line.fail, warnAt: line.warn, comparison: '>=' as const });
  const atMost = (line: Line) => ({ threshold: line.fail, warnAt: line.warn, comparison: '<=' as const });
  const s = m.structure;
  const tile = { x: s.worstTile.x, y: s.worstTile.y, width: s.worstTile.size, height: s.worstTile.size };
  const checks: FidelityCheck[] = [];

  if (m.pieceUntouched) {
    // Background / shadow work: the piece's pixels must stay the photographed ones (spec §D.6, §E.8).
    checks.push(judge({
      id: 'ssim', label: 'Piece pixels kept', figure: r1(s.maxLumaDelta), threshold: 1, comparison: '<=', unit: 'code values', where: full(tile),
      detail: `Largest luma change inside the piece (eroded 2 px): ${r1(s.maxLumaDelta)} code values; a background or shadow step must change none. Mean SSIM ${r3(s.ssimMean)}.`,
    }));
  }
  checks.push(judge({
    id: 'structure', label: 'Structure kept', figure: r3(s.csMean), ...atLeast(T.structure), where: full(tile),
    detail: `Local correlation with the original on the piece (tone and contrast edits do not lower it; changed detail does); 1st percentile ${r2(s.csP1)}. SSIM ${r3(s.ssimMean)}, its cs term ${r3(s.ssimCsMean)}.`,
  }));
  checks.push(judge({
    id: 'local-structure', label: 'Worst area', figure: r3(s.worstTileCs), ...atLeast(T.localStructure), where: full(tile),
    detail: `The ${s.worstTile.size} px area of the piece whose structure changed most keeps ${r2(s.worstTileCs)} of it.`,
  }));

  if (m.colour && m.metal) {
    const c = m.colour;
    if (Number.isNaN(c.residualP95)) {
      checks.push(skipped({ id: 'colour-drift', label: 'Uneven colour change', ...atMost(T.colourDrift), unit: 'ΔE00',
        detail: `The metal is almost all highlights or rims (ΔE00 mean ${r2(c.deltaEMean)}, p95 ${r2(c.deltaEP95)}): too little body to judge uneven colour on.` }));
    } else {
      checks.push(judge({
        id: 'colour-drift', label: 'Uneven colour change', figure: r2(c.residualP95), ...atMost(T.colourDrift), unit: 'ΔE00',
        where: c.residualP95 > T.colourDrift.warn ? full(c.residualBox) : undefined,
        detail: `Metal ΔE00 mean ${r2(c.deltaEMean)}, p95 ${r2(c.deltaEP95)}; beyond the result's own tone curves p95 ${r2(c.residualP95)} (colour that moved unevenly).`,
      }));
    }
    const before = distanceOutsideWindow(m.metal, c.before), after = distanceOutsideWindow(m.metal, c.after);
    const tone = describeTone(m.metal.label, c.after.hue, c.after.chromaPerLightness, c.after.lab[2], m.metal.hueWindow !== null);
    const cast = castName(m.metal, c.after);
    if (Number.isNaN(after)) {
      checks.push(skipped({ id: 'metal-tone', label: 'Metal tone', ...atMost(T.metalTone), detail: 'No metal pixels with usable colour in the result (all clipped or near black).' }));
    } else {
      const base = judge({ id: 'metal-tone', label: 'Metal tone', figure: r1(after), ...atMost(T.metalTone), unit: 'steps outside window',
        detail: `${tone}${cast ? `: ${cast}` : ''}.` });
      checks.push(notWorseThanOriginal(base, after <= before + 0.5, `${tone}${cast ? `: ${cast}` : ''}, as in the original.`));
    }
    const clipBefore = 100 * c.before.clippedFraction, clipAfter = 100 * c.after.clippedFraction;
    const hl = judge({ id: 'highlights', label: 'Blown highlights', figure: r2(clipAfter), ...atMost(T.highlights), unit: '% of metal',
      detail: `${r2(clipAfter)} % of the metal clipped (original ${r2(clipBefore)} %); ${c.hotBlobsAfter} large blown patches (original ${c.hotBlobsBefore}).` });
    checks.push(notWorseThanOriginal(hl, clipAfter <= clipBefore + 0.25, `${r2(clipAfter)} % of the metal clipped, no more than the original's ${r2(clipBefore)} %.`));
  } else {
    checks.push(skipped({ id: 'colour-drift', label: 'Uneven colour change', ...atMost(T.colourDrift), detail: 'No metal with usable colour found on the piece.' }));
  }

  if (m.stones && m.stones.countOriginal > 0) {
    const st = m.stones;
    const lost = st.stones.filter((v) => !v.present);
    const lostWhere = lost.map((v) => stoneBox(v.stone.cx, v.stone.cy, v.stone.radius * 1.6, win));
    checks.push(judge({
      id: 'stones', label: 'Stone count', figure: st.countOriginal - st.countResult, ...atMost(T.stones), unit: 'stones lost',
      where: lostWhere.length ? lostWhere : undefined,
      detail: `${st.countOriginal} stones in the original, ${st.countResult} still there in the result (a stone a prong splits in two counts as two).`,
    }));
    if (st.worstSetting) {
      const ws = st.worstSetting;
      checks.push(judge({
        id: 'settings', label: 'Prongs and settings', figure: r3(st.worstSettingCs), ...atLeast(T.settings),
        where: [stoneBox(ws.stone.cx, ws.stone.cy, ws.stone.radius * 1.8, win)],
        detail: `Structure kept in the metal around the stones (prongs, beads, bezels): worst ${r2(st.worstSettingCs)}.`,
      }));
    }
  } else {
    checks.push(skipped({ id: 'stones', label: 'Stone count', ...atMost(T.stones), detail: m.stones ? 'The stones mask is empty.' : stonesNeedMaskDetail(options.howToGiveStones ?? 'give it with --stones') }));
  }

  checks.push(judge({
    id: 'sharpness', label: 'Sharpness kept', figure: r2(s.sharpnessRatio), ...atLeast(T.sharpness),
    detail: `Variance of the Laplacian on the piece, result ÷ original (tone edits taken out): ${r2(s.sharpnessRatio)}.`,
  }));
  checks.push(judge({
    id: 'halo', label: 'Halos', figure: r1(s.haloP99), ...atMost(T.halo), unit: 'code values', where: s.haloP99 > T.halo.warn ? full(s.haloBox) : undefined,
    detail: `At edges the result overshoots the original's local range by ${r1(s.haloP99)} code values (99th percentile).`,
  }));
  checks.push(judge({
    id: 'spill', label: 'Background spill', figure: r2(100 * m.spill.spillFraction), ...atMost(T.spill), unit: '% of edge',
    where: m.spill.spillFraction * 100 > T.spill.warn ? full(m.spill.box) : undefined,
    detail: `${r1(100 * m.spill.ringFraction)} % of the piece's edge moved towards the background colour (${r1(100 * m.spill.interiorFraction)} % deep inside).`,
  }));
  checks.push(judge({
    id: 'alignment', label: 'Piece in place', figure: r2(s.shift), ...atMost(T.alignment), unit: 'px',
    detail: `The result is shifted ${r2(s.shiftX)} px horizontally and ${r2(s.shiftY)} px vertically against the original.`,
  }));

  const cr = m.contactResult, co = m.contactOriginal;
  if (!Number.isFinite(cr.deltaL)) {
    checks.push(skipped({ id: 'contact', label: 'Contact shadow', ...atLeast(T.contact), unit: 'ΔL*', detail: cr.reason ?? 'not measurable' }));
  } else {
    const base = judge({
      id: 'contact', label: 'Contact shadow', figure: r1(cr.deltaL), ...atLeast(T.contact), unit: 'ΔL*',
      where: cr.band ? [cr.band] : undefined,
      detail: cr.deltaL < T.contact.fail
        ? `The piece floats: the surface under it is as light as further away (ΔL* ${r1(cr.deltaL)}; original ${r1(co.deltaL)}).`
        : `The surface under the piece is ${r1(cr.deltaL)} L* darker than further away (original ${r1(co.deltaL)}).`,
    });
    const originalAsWeak = !(co.deltaL >= cr.deltaL + 3);
    checks.push(notWorseThanOriginal(base, originalAsWeak, `No stronger contact shadow than in the original (ΔL* ${r1(cr.deltaL)} vs ${r1(co.deltaL)}).`));
  }

  const verdict = checks.some((c) => c.verdict === 'fail') ? 'fail' : checks.some((c) => c.verdict === 'warn') ? 'warn' : 'pass';
  return { tier, checks, verdict };
}

/** A failed quality check the original shares becomes a warning saying so. */
function notWorseThanOriginal(check: FidelityCheck, notWorse: boolean, detail: string): FidelityCheck {
  if (check.verdict !== 'fail' || !notWorse) return check;
  return { ...check, verdict: 'warn', pass: true, detail };
}

function describeTone(label: string, hue: number, cl: number, b: number, byHue: boolean): string {
  return byHue
    ? `${label}: hue ${r1(hue)}°, C*/L* ${r2(cl)}`
    : `${label}: b* ${r1(b)}, C*/L* ${r2(cl)}`;
}

function stoneBox(cx: number, cy: number, r: number, win: { x0: number; y0: number }): CheckRegion {
  const x = Math.max(0, Math.floor(cx - r)), y = Math.max(0, Math.floor(cy - r));
  return { x: x + win.x0, y: y + win.y0, width: Math.ceil(2 * r), height: Math.ceil(2 * r) };
}
