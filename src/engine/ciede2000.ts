/**
 * CIEDE2000 colour difference (CIE 142-2001), following G. Sharma, W. Wu, E. N. Dalal,
 * "The CIEDE2000 Color-Difference Formula: Implementation Notes, Supplementary Test Data, and
 * Mathematical Observations", Color Res. Appl. 30(1):21–30, 2005.
 *
 * Parametric factors default to kL = kC = kH = 1. The implementation follows the notes' handling of
 * hue at zero chroma (h′ = 0 when a′ = b′ = 0; Δh′ = 0 and h̄′ = h′1 + h′2 when C′1·C′2 = 0) and of the
 * 180° discontinuity of the mean hue, which makes ΔE00 exactly symmetric in its two arguments.
 */

const DEG = 180 / Math.PI;
const RAD = Math.PI / 180;
const POW25_7 = 6103515625; // 25^7

/** Intermediate values of the formula (names as in Sharma et al., Table 1). Angles in degrees. */
export interface Ciede2000Details {
  ap1: number; cp1: number; hp1: number;
  ap2: number; cp2: number; hp2: number;
  hbar: number; G: number; T: number;
  SL: number; SC: number; SH: number; RT: number;
  dE: number;
}

/** ΔE00 between Lab (L1, a1, b1) and (L2, a2, b2). */
export function ciede2000(
  L1: number, a1: number, b1: number,
  L2: number, a2: number, b2: number,
  kL = 1, kC = 1, kH = 1,
): number {
  return compute(L1, a1, b1, L2, a2, b2, kL, kC, kH, null);
}

/** ΔE00 between two Lab triples. */
export function ciede2000Lab(lab1: ArrayLike<number>, lab2: ArrayLike<number>, kL = 1, kC = 1, kH = 1): number {
  return compute(lab1[0], lab1[1], lab1[2], lab2[0], lab2[1], lab2[2], kL, kC, kH, null);
}

/** ΔE00 with all intermediate values (for tests and diagnostics). */
export function ciede2000Details(
  L1: number, a1: number, b1: number,
  L2: number, a2: number, b2: number,
  kL = 1, kC = 1, kH = 1,
): Ciede2000Details {
  const d = {} as Ciede2000Details;
  compute(L1, a1, b1, L2, a2, b2, kL, kC, kH, d);
  return d;
}

function compute(
  L1: number, a1: number, b1: number,
  L2: number, a2: number, b2: number,
  kL: number, kC: number, kH: number,
  details: Ciede2000Details | null,
): number {
  // Step 1: C′, h′
  const C1 = Math.sqrt(a1 * a1 + b1 * b1);
  const C2 = Math.sqrt(a2 * a2 + b2 * b2);
  const Cbar = (C1 + C2) / 2;
  const Cbar7 = Math.pow(Cbar, 7);
  const G = 0.5 * (1 - Math.sqrt(Cbar7 / (Cbar7 + POW25_7)));
  const ap1 = (1 + G) * a1;
  const ap2 = (1 + G) * a2;
  const cp1 = Math.sqrt(ap1 * ap1 + b1 * b1);
  const cp2 = Math.sqrt(ap2 * ap2 + b2 * b2);
  const hp1 = hue(ap1, b1);
  const hp2 = hue(ap2, b2);

  // Step 2: ΔL′, ΔC′, ΔH′
  const dLp = L2 - L1;
  const dCp = cp2 - cp1;
  const cprod = cp1 * cp2;
  let dhp = 0;
  if (cprod !== 0) {
    dhp = hp2 - hp1;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(cprod) * Math.sin((dhp / 2) * RAD);

  // Step 3: weighting functions
  const Lbarp = (L1 + L2) / 2;
  const Cbarp = (cp1 + cp2) / 2;
  let hbarp: number;
  if (cprod === 0) hbarp = hp1 + hp2;
  else if (Math.abs(hp1 - hp2) <= 180) hbarp = (hp1 + hp2) / 2;
  else if (hp1 + hp2 < 360) hbarp = (hp1 + hp2 + 360) / 2;
  else hbarp = (hp1 + hp2 - 360) / 2;

  const T =
    1 -
    0.17 * Math.cos((hbarp - 30) * RAD) +
    0.24 * Math.cos(2 * hbarp * RAD) +
    0.32 * Math.cos((3 * hbarp + 6) * RAD) -
    0.2 * Math.cos((4 * hbarp - 63) * RAD);
  const dTheta = 30 * Math.exp(-(((hbarp - 275) / 25) ** 2));
  const Cbarp7 = Math.pow(Cbarp, 7);
  const RC = 2 * Math.sqrt(Cbarp7 / (Cbarp7 + POW25_7));
  const l50 = (Lbarp - 50) ** 2;
  const SL = 1 + (0.015 * l50) / Math.sqrt(20 + l50);
  const SC = 1 + 0.045 * Cbarp;
  const SH = 1 + 0.015 * Cbarp * T;
  const RT = -Math.sin(2 * dTheta * RAD) * RC;

  const tL = dLp / (kL * SL);
  const tC = dCp / (kC * SC);
  const tH = dHp / (kH * SH);
  const dE = Math.sqrt(tL * tL + tC * tC + tH * tH + RT * tC * tH);

  if (details) {
    details.ap1 = ap1; details.cp1 = cp1; details.hp1 = hp1;
    details.ap2 = ap2; details.cp2 = cp2; details.hp2 = hp2;
    details.hbar = hbarp; details.G = G; details.T = T;
    details.SL = SL; details.SC = SC; details.SH = SH; details.RT = RT;
    details.dE = dE;
  }
  return dE;
}

function hue(a: number, b: number): number {
  if (a === 0 && b === 0) return 0;
  const h = Math.atan2(b, a) * DEG;
  return h < 0 ? h + 360 : h;
}
