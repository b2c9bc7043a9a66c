/**
 * Colour science for Loupe: sRGB transfer curve, linear sRGB ↔ XYZ, CIELAB (D65 and D50 "as Photoshop"),
 * and LCh. Pure TypeScript, no host code.
 *
 * Conventions
 * - sRGB per IEC 61966-2-1: decode v ≤ 0.04045 ? v/12.92 : ((v+0.055)/1.055)^2.4, encode the inverse
 *   (linear ≤ 0.0031308 ? 12.92·l : 1.055·l^(1/2.4) − 0.055).
 * - Linear sRGB → XYZ (D65) with the matrix derived from the sRGB primaries and the D65 white
 *   (0.95047, 1, 1.08883), as in Lindbloom's tables. sRGB white maps exactly to that white, so Lab D65
 *   of 255,255,255 is 100, 0, 0.
 * - CIELAB with the exact CIE constants ε = 216/24389 and κ = 24389/27.
 * - "Lab D50 (PS)": the ICC-PCS convention Photoshop's Lab mode uses: XYZ D65 → Bradford chromatic
 *   adaptation → D50, reference white (0.96422, 1, 0.82521). The Bradford matrix is built for exactly
 *   these two whites, so sRGB white is again Lab 100, 0, 0.
 * - Hue angles are in degrees, 0 ≤ h < 360 (h = atan2(b, a)); chroma C* = hypot(a, b).
 *
 * Speed: every per-pixel function takes an optional `out` array (length ≥ 3) and writes into it, so a
 * hot loop can reuse one Float64Array and allocate nothing. The bulk helpers `rgbaToLabPlanes` and
 * `labPlanesToRgba8` convert whole images with lookup tables.
 */

import type { Rgba8Image, RgbaImage } from './image';
import { createRgba8 } from './image';

/** Reference white for CIELAB. 'D65': no adaptation; 'D50': Photoshop / ICC PCS (Bradford from D65). */
export type LabWhite = 'D65' | 'D50';

/** Writable 3-vector; pass a reused Float64Array(3) in hot loops. */
export type Vec3 = number[] | Float64Array | Float32Array;
export type Triple = [number, number, number];

/** Reference white XYZ (Y = 1). */
export const WHITE_D65: readonly [number, number, number] = [0.95047, 1.0, 1.08883];
export const WHITE_D50: readonly [number, number, number] = [0.96422, 1.0, 0.82521];

const LAB_EPSILON = 216 / 24389;
const LAB_KAPPA = 24389 / 27;

// ---------------------------------------------------------------------------------------------------
// sRGB transfer curve

/** sRGB-encoded value 0..1 → linear 0..1 (IEC 61966-2-1). */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/** Linear 0..1 → sRGB-encoded 0..1 (IEC 61966-2-1). Not clamped. */
export function linearToSrgb(l: number): number {
  return l <= 0.0031308 ? 12.92 * l : 1.055 * Math.pow(l, 1 / 2.4) - 0.055;
}

function buildDecodeTable(size: number): Float32Array {
  const t = new Float32Array(size);
  const max = size - 1;
  for (let i = 0; i < size; i++) t[i] = srgbToLinear(i / max);
  return t;
}

/** 8-bit sRGB code → linear 0..1. */
export const SRGB8_TO_LINEAR: Float32Array = buildDecodeTable(256);

let srgb16Table: Float32Array | null = null;
/** 16-bit sRGB code (0..65535) → linear 0..1, built on first use (256 KiB). */
export function srgb16ToLinearTable(): Float32Array {
  if (srgb16Table === null) srgb16Table = buildDecodeTable(65536);
  return srgb16Table;
}

// Linear → 8-bit: exact round(255·encode(l)) via decision thresholds. THRESH[k] is the linear value at
// which the code changes from k to k+1, i.e. decode((k + 0.5)/255). A 4096-bin table gives the code at
// each bin's lower edge; at most a couple of steps forward find the right code (near 0 the curve is
// steep: about 0.8 codes per bin).
const ENC_BINS = 4096;
const THRESH = new Float64Array(256);
for (let k = 0; k < 255; k++) THRESH[k] = srgbToLinear((k + 0.5) / 255);
THRESH[255] = Infinity;
const ENC_START = new Uint8Array(ENC_BINS + 1);
{
  let k = 0;
  for (let i = 0; i <= ENC_BINS; i++) {
    const l = i / ENC_BINS;
    while (l >= THRESH[k]) k++;
    ENC_START[i] = k;
  }
}

/** Linear 0..1 → 8-bit sRGB code, correctly rounded (equal to round(255·linearToSrgb(l))), clamped. */
export function linearToSrgb8(l: number): number {
  if (!(l > 0)) return 0; // also NaN → 0
  if (l >= 1) return 255;
  let k = ENC_START[(l * ENC_BINS) | 0];
  while (l >= THRESH[k]) k++;
  return k;
}

/** Linear 0..1 → 16-bit sRGB code (0..65535), rounded and clamped. */
export function linearToSrgb16(l: number): number {
  if (!(l > 0)) return 0;
  if (l >= 1) return 65535;
  return Math.round(linearToSrgb(l) * 65535);
}

// ---------------------------------------------------------------------------------------------------
// Matrices

type M3 = [number, number, number, number, number, number, number, number, number];

function mul3(a: M3, b: M3): M3 {
  const r = new Array(9).fill(0) as M3;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
  return r;
}

function inv3(m: M3): M3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ];
}

function apply3(m: M3, x: number, y: number, z: number, out: Vec3): void {
  out[0] = m[0] * x + m[1] * y + m[2] * z;
  out[1] = m[3] * x + m[4] * y + m[5] * z;
  out[2] = m[6] * x + m[7] * y + m[8] * z;
}

/** Linear sRGB → XYZ D65 (rows: X, Y, Z). From the sRGB primaries and white (0.95047, 1, 1.08883). */
export const SRGB_TO_XYZ_D65: readonly number[] = [
  0.4124564, 0.3575761, 0.1804375,
  0.2126729, 0.7151522, 0.072175,
  0.0193339, 0.119192, 0.9503041,
];
const M_RGB_XYZ65 = SRGB_TO_XYZ_D65 as M3;
const M_XYZ65_RGB = inv3(M_RGB_XYZ65);

const BRADFORD: M3 = [0.8951, 0.2664, -0.1614, -0.7502, 1.7135, 0.0367, 0.0389, -0.0685, 1.0296];

function bradford(src: readonly number[], dst: readonly number[]): M3 {
  const s = [0, 0, 0], d = [0, 0, 0];
  apply3(BRADFORD, src[0], src[1], src[2], s);
  apply3(BRADFORD, dst[0], dst[1], dst[2], d);
  const scale: M3 = [d[0] / s[0], 0, 0, 0, d[1] / s[1], 0, 0, 0, d[2] / s[2]];
  return mul3(inv3(BRADFORD), mul3(scale, BRADFORD));
}

/** XYZ D65 → XYZ D50 (Bradford, for the whites above). */
export const XYZ_D65_TO_D50: readonly number[] = bradford(WHITE_D65, WHITE_D50);
const M_65_50 = XYZ_D65_TO_D50 as M3;
const M_50_65 = inv3(M_65_50);
const M_RGB_XYZ50 = mul3(M_65_50, M_RGB_XYZ65);
const M_XYZ50_RGB = inv3(M_RGB_XYZ50);

// Pre-divided by the white so Lab needs no further division: x/Xn etc.
function divRows(m: M3, w: readonly number[]): M3 {
  return [m[0] / w[0], m[1] / w[0], m[2] / w[0], m[3] / w[1], m[4] / w[1], m[5] / w[1], m[6] / w[2], m[7] / w[2], m[8] / w[2]];
}
function mulCols(m: M3, w: readonly number[]): M3 {
  return [m[0] * w[0], m[1] * w[1], m[2] * w[2], m[3] * w[0], m[4] * w[1], m[5] * w[2], m[6] * w[0], m[7] * w[1], m[8] * w[2]];
}
const RGB_TO_NXYZ: Record<LabWhite, M3> = { D65: divRows(M_RGB_XYZ65, WHITE_D65), D50: divRows(M_RGB_XYZ50, WHITE_D50) };
const NXYZ_TO_RGB: Record<LabWhite, M3> = { D65: mulCols(M_XYZ65_RGB, WHITE_D65), D50: mulCols(M_XYZ50_RGB, WHITE_D50) };

function whiteOf(white: LabWhite): readonly number[] {
  return white === 'D50' ? WHITE_D50 : WHITE_D65;
}

function newOut<T extends Vec3>(out: T | undefined): T {
  return out ?? ([0, 0, 0] as unknown as T);
}

// ---------------------------------------------------------------------------------------------------
// XYZ

/** Linear sRGB → XYZ D65. */
export function linearToXyz<T extends Vec3 = Triple>(r: number, g: number, b: number, out?: T): T {
  const o = newOut(out);
  apply3(M_RGB_XYZ65, r, g, b, o);
  return o;
}

/** XYZ D65 → linear sRGB (not clamped). */
export function xyzToLinear<T extends Vec3 = Triple>(x: number, y: number, z: number, out?: T): T {
  const o = newOut(out);
  apply3(M_XYZ65_RGB, x, y, z, o);
  return o;
}

/** XYZ D65 → XYZ D50 (Bradford). */
export function xyzD65ToD50<T extends Vec3 = Triple>(x: number, y: number, z: number, out?: T): T {
  const o = newOut(out);
  apply3(M_65_50, x, y, z, o);
  return o;
}

/** XYZ D50 → XYZ D65 (inverse Bradford). */
export function xyzD50ToD65<T extends Vec3 = Triple>(x: number, y: number, z: number, out?: T): T {
  const o = newOut(out);
  apply3(M_50_65, x, y, z, o);
  return o;
}

// ---------------------------------------------------------------------------------------------------
// Lab

function labF(t: number): number {
  return t > LAB_EPSILON ? Math.cbrt(t) : (LAB_KAPPA * t + 16) / 116;
}

function labFInv(f: number): number {
  const f3 = f * f * f;
  return f3 > LAB_EPSILON ? f3 : (116 * f - 16) / LAB_KAPPA;
}

/** XYZ (relative to `white`: D65 XYZ for 'D65', D50-adapted XYZ for 'D50') → Lab. */
export function xyzToLab<T extends Vec3 = Triple>(x: number, y: number, z: number, white: LabWhite = 'D65', out?: T): T {
  const w = whiteOf(white);
  return nxyzToLab(x / w[0], y / w[1], z / w[2], newOut(out));
}

/** Lab → XYZ (D65 XYZ for 'D65', D50-adapted XYZ for 'D50'). */
export function labToXyz<T extends Vec3 = Triple>(L: number, a: number, b: number, white: LabWhite = 'D65', out?: T): T {
  const w = whiteOf(white);
  const o = newOut(out);
  labToNxyz(L, a, b, o);
  o[0] *= w[0];
  o[1] *= w[1];
  o[2] *= w[2];
  return o;
}

function nxyzToLab<T extends Vec3>(xn: number, yn: number, zn: number, o: T): T {
  const fx = labF(xn), fy = labF(yn), fz = labF(zn);
  o[0] = 116 * fy - 16;
  o[1] = 500 * (fx - fy);
  o[2] = 200 * (fy - fz);
  return o;
}

function labToNxyz(L: number, a: number, b: number, o: Vec3): void {
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  o[0] = labFInv(fx);
  o[1] = L > LAB_KAPPA * LAB_EPSILON ? fy * fy * fy : L / LAB_KAPPA;
  o[2] = labFInv(fz);
}

/** Linear sRGB (0..1) → Lab relative to `white`. */
export function linearToLab<T extends Vec3 = Triple>(r: number, g: number, b: number, white: LabWhite = 'D65', out?: T): T {
  const m = RGB_TO_NXYZ[white];
  return nxyzToLab(
    m[0] * r + m[1] * g + m[2] * b,
    m[3] * r + m[4] * g + m[5] * b,
    m[6] * r + m[7] * g + m[8] * b,
    newOut(out),
  );
}

/** Lab → linear sRGB (not clamped: out-of-gamut colours give values outside 0..1). */
export function labToLinear<T extends Vec3 = Triple>(L: number, a: number, b: number, white: LabWhite = 'D65', out?: T): T {
  const o = newOut(out);
  labToNxyz(L, a, b, o);
  apply3(NXYZ_TO_RGB[white], o[0], o[1], o[2], o);
  return o;
}

/** sRGB-encoded floats 0..1 → Lab. */
export function srgbToLab<T extends Vec3 = Triple>(r: number, g: number, b: number, white: LabWhite = 'D65', out?: T): T {
  return linearToLab(srgbToLinear(r), srgbToLinear(g), srgbToLinear(b), white, out);
}

/** Lab → sRGB-encoded floats (not clamped). */
export function labToSrgb<T extends Vec3 = Triple>(L: number, a: number, b: number, white: LabWhite = 'D65', out?: T): T {
  const o = labToLinear(L, a, b, white, out);
  o[0] = linearToSrgb(o[0]);
  o[1] = linearToSrgb(o[1]);
  o[2] = linearToSrgb(o[2]);
  return o;
}

/** 8-bit sRGB codes → Lab. */
export function srgb8ToLab<T extends Vec3 = Triple>(r: number, g: number, b: number, white: LabWhite = 'D65', out?: T): T {
  const t = SRGB8_TO_LINEAR;
  return linearToLab(t[r & 255], t[g & 255], t[b & 255], white, out);
}

/** 16-bit sRGB codes (0..65535) → Lab. */
export function srgb16ToLab<T extends Vec3 = Triple>(r: number, g: number, b: number, white: LabWhite = 'D65', out?: T): T {
  const t = srgb16ToLinearTable();
  return linearToLab(t[r & 65535], t[g & 65535], t[b & 65535], white, out);
}

/** Lab → 8-bit sRGB codes, rounded; out-of-gamut channels are clamped to 0..255. */
export function labToSrgb8<T extends Vec3 = Triple>(L: number, a: number, b: number, white: LabWhite = 'D65', out?: T): T {
  const o = labToLinear(L, a, b, white, out);
  o[0] = linearToSrgb8(o[0]);
  o[1] = linearToSrgb8(o[1]);
  o[2] = linearToSrgb8(o[2]);
  return o;
}

// ---------------------------------------------------------------------------------------------------
// LCh

/** C* = hypot(a, b). */
export function chroma(a: number, b: number): number {
  return Math.sqrt(a * a + b * b);
}

/** Hue angle h = atan2(b, a) in degrees, 0 ≤ h < 360 (0 for a = b = 0). */
export function hueDeg(a: number, b: number): number {
  const h = (Math.atan2(b, a) * 180) / Math.PI;
  return h < 0 ? h + 360 : h >= 360 ? h - 360 : h;
}

/** Lab → LCh [L, C*, h°]. */
export function labToLch<T extends Vec3 = Triple>(L: number, a: number, b: number, out?: T): T {
  const o = newOut(out);
  o[0] = L;
  o[1] = chroma(a, b);
  o[2] = hueDeg(a, b);
  return o;
}

/** LCh [L, C*, h°] → Lab. */
export function lchToLab<T extends Vec3 = Triple>(L: number, C: number, h: number, out?: T): T {
  const o = newOut(out);
  const rad = (h * Math.PI) / 180;
  o[0] = L;
  o[1] = C * Math.cos(rad);
  o[2] = C * Math.sin(rad);
  return o;
}

// ---------------------------------------------------------------------------------------------------
// Whole images

export interface LabPlanes {
  readonly width: number;
  readonly height: number;
  readonly L: Float32Array;
  readonly a: Float32Array;
  readonly b: Float32Array;
}

/** Convert a whole RGBA image (8 or 16 bit, alpha ignored) to planar Lab. */
export function rgbaToLabPlanes(image: RgbaImage, white: LabWhite = 'D65'): LabPlanes {
  const n = image.width * image.height;
  const L = new Float32Array(n), A = new Float32Array(n), B = new Float32Array(n);
  const t = image.depth === 8 ? SRGB8_TO_LINEAR : srgb16ToLinearTable();
  const m = RGB_TO_NXYZ[white];
  const m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7], m8 = m[8];
  const d = image.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const r = t[d[j]], g = t[d[j + 1]], bl = t[d[j + 2]];
    const fx = labF(m0 * r + m1 * g + m2 * bl);
    const fy = labF(m3 * r + m4 * g + m5 * bl);
    const fz = labF(m6 * r + m7 * g + m8 * bl);
    L[i] = 116 * fy - 16;
    A[i] = 500 * (fx - fy);
    B[i] = 200 * (fy - fz);
  }
  return { width: image.width, height: image.height, L, a: A, b: B };
}

/** Convert planar Lab back to an 8-bit image (rounded, clamped). Alpha is taken from `alphaFrom` or set to 255. */
export function labPlanesToRgba8(lab: LabPlanes, white: LabWhite = 'D65', alphaFrom?: Rgba8Image): Rgba8Image {
  const n = lab.width * lab.height;
  const out = new Uint8Array(n * 4);
  const v = new Float64Array(3);
  const { L, a, b } = lab;
  const alpha = alphaFrom?.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    labToLinear(L[i], a[i], b[i], white, v);
    out[j] = linearToSrgb8(v[0]);
    out[j + 1] = linearToSrgb8(v[1]);
    out[j + 2] = linearToSrgb8(v[2]);
    out[j + 3] = alpha ? alpha[j + 3] : 255;
  }
  return createRgba8(lab.width, lab.height, out);
}
