/**
 * A small sRGB ICC profile built in code (no copied .icc file, so no licence question), embedded in every
 * PSD and PNG Loupe writes so that Photoshop, Lightroom and browsers read our pixels as sRGB.
 *
 * ICC v2.1 display-class ("mntr") matrix/TRC profile, the simplest form every CMM understands:
 * - wtpt = D50, the ICC PCS white (v2 display profiles state the adapted white, not D65);
 * - rXYZ/gXYZ/bXYZ = the sRGB primaries adapted D65 → D50 with the Bradford transform (the values
 *   every sRGB profile carries; they sum to D50);
 * - r/g/bTRC share one 1024-entry `curv` holding the exact piecewise sRGB EOTF (a gamma-2.2 approximation
 *   would shift deep shadows).
 * LittleCMS and ImageMagick load it; a transform from a reference sRGB to it differs by at most 1/255.
 */

/** The description readers show (Photoshop: Document Profile; ImageMagick: icc:description). */
import { srgbToLinear } from '../../engine/color';

export const SRGB_PROFILE_DESCRIPTION = 'sRGB IEC61966-2.1 (Loupe)';

export type Xyz = readonly [number, number, number];

export interface MatrixTrcProfileSpec {
  readonly description: string;
  readonly copyright: string;
  /** Media white in PCS (D50 for a v2 display profile). */
  readonly white: Xyz;
  /** Chromatically adapted (D50) colorants. */
  readonly red: Xyz;
  readonly green: Xyz;
  readonly blue: Xyz;
  /** A plain gamma (e.g. 2.2 for Adobe RGB) or a sampled curve, 0..1 → 0..1. */
  readonly trc: number | ((v: number) => number);
  /** Samples when trc is a function (default 1024). */
  readonly trcSamples?: number;
}

const D50: Xyz = [0.9642, 1.0, 0.8249];

let cached: Uint8Array | undefined;

/** The sRGB profile Loupe embeds (about 2.6 KB). Returns a fresh copy each call (callers may keep it). */
export function srgbIccProfile(): Uint8Array {
  cached ??= buildMatrixTrcProfile({
    description: SRGB_PROFILE_DESCRIPTION,
    copyright: 'No copyright, use freely',
    white: D50,
    red: [0.436066, 0.222488, 0.013916],
    green: [0.385147, 0.716873, 0.097076],
    blue: [0.143066, 0.060608, 0.714096],
    trc: srgbToLinear,
    trcSamples: 1024,
  });
  return cached.slice();
}

/** Builds an ICC v2.1 RGB display profile from primaries and a tone curve (also used by tests, e.g. Adobe RGB). */
export function buildMatrixTrcProfile(spec: MatrixTrcProfileSpec): Uint8Array {
  const tags: { sig: string; data: Uint8Array }[] = [];
  const trc = curveTag(spec.trc, spec.trcSamples ?? 1024);
  tags.push({ sig: 'desc', data: descTag(spec.description) });
  tags.push({ sig: 'cprt', data: textTag(spec.copyright) });
  tags.push({ sig: 'wtpt', data: xyzTag(spec.white) });
  tags.push({ sig: 'rXYZ', data: xyzTag(spec.red) });
  tags.push({ sig: 'gXYZ', data: xyzTag(spec.green) });
  tags.push({ sig: 'bXYZ', data: xyzTag(spec.blue) });
  // The three TRC tags point at the same bytes: allowed by ICC and saves 4 KB.
  tags.push({ sig: 'rTRC', data: trc });
  tags.push({ sig: 'gTRC', data: trc });
  tags.push({ sig: 'bTRC', data: trc });

  const tableSize = 4 + 12 * tags.length;
  let offset = 128 + tableSize;
  const placed = new Map<Uint8Array, number>();
  const entries: { sig: string; offset: number; size: number }[] = [];
  for (const tag of tags) {
    let at = placed.get(tag.data);
    if (at === undefined) {
      at = offset;
      placed.set(tag.data, at);
      offset += align4(tag.data.length);
    }
    entries.push({ sig: tag.sig, offset: at, size: tag.data.length });
  }
  const size = offset;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);

  // Header (ICC.1:2001-04 §6.1).
  dv.setUint32(0, size);
  ascii(out, 4, 'lcms'); // preferred CMM: informative only
  dv.setUint32(8, 0x02100000); // version 2.1.0
  ascii(out, 12, 'mntr');
  ascii(out, 16, 'RGB ');
  ascii(out, 20, 'XYZ ');
  // Fixed creation date keeps the bytes reproducible (tests compare hashes): 2024-01-01 00:00:00.
  [2024, 1, 1, 0, 0, 0].forEach((v, i) => dv.setUint16(24 + 2 * i, v));
  ascii(out, 36, 'acsp');
  dv.setUint32(64, 0); // rendering intent: perceptual
  setXyz(dv, 68, D50); // PCS illuminant
  // 40..63 (platform, flags, device), 80..127 (creator, ID, reserved) stay zero.

  dv.setUint32(128, tags.length);
  entries.forEach((e, i) => {
    const p = 132 + 12 * i;
    ascii(out, p, e.sig);
    dv.setUint32(p + 4, e.offset);
    dv.setUint32(p + 8, e.size);
  });
  for (const [data, at] of placed) out.set(data, at);
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function ascii(out: Uint8Array, at: number, s: string): void {
  for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i) & 0x7f;
}

function s15Fixed16(v: number): number {
  return Math.round(v * 65536) | 0;
}

function setXyz(dv: DataView, at: number, xyz: Xyz): void {
  xyz.forEach((v, i) => dv.setInt32(at + 4 * i, s15Fixed16(v)));
}

function xyzTag(xyz: Xyz): Uint8Array {
  const out = new Uint8Array(20);
  ascii(out, 0, 'XYZ ');
  setXyz(new DataView(out.buffer), 8, xyz);
  return out;
}

/** textDescriptionType (v2 'desc'): ASCII part, empty Unicode part, empty ScriptCode part (67 bytes). */
function descTag(text: string): Uint8Array {
  const n = text.length + 1;
  const out = new Uint8Array(12 + n + 8 + 3 + 67);
  const dv = new DataView(out.buffer);
  ascii(out, 0, 'desc');
  dv.setUint32(8, n);
  ascii(out, 12, text);
  return out; // Unicode language/count and ScriptCode code/count are all zero
}

function textTag(text: string): Uint8Array {
  const out = new Uint8Array(8 + text.length + 1);
  ascii(out, 0, 'text');
  ascii(out, 8, text);
  return out;
}

function curveTag(trc: number | ((v: number) => number), samples: number): Uint8Array {
  if (typeof trc === 'number') {
    const out = new Uint8Array(14);
    const dv = new DataView(out.buffer);
    ascii(out, 0, 'curv');
    dv.setUint32(8, 1);
    dv.setUint16(12, Math.round(trc * 256)); // u8Fixed8 gamma
    return out;
  }
  const out = new Uint8Array(12 + 2 * samples);
  const dv = new DataView(out.buffer);
  ascii(out, 0, 'curv');
  dv.setUint32(8, samples);
  for (let i = 0; i < samples; i++) {
    const y = Math.min(1, Math.max(0, trc(i / (samples - 1))));
    dv.setUint16(12 + 2 * i, Math.round(y * 65535));
  }
  return out;
}

/** What Loupe needs to know about an embedded profile. */
export interface IccSummary {
  /** 'RGB ', 'GRAY', 'CMYK', 'Lab ', … (header data colour space). */
  readonly colorSpace: string;
  readonly description: string;
  readonly red?: Xyz;
  readonly green?: Xyz;
  readonly blue?: Xyz;
}

/** Reads the header colour space, the description (v2 'desc' or v4 'mluc') and the colorants. Throws on garbage. */
export function summarizeIccProfile(icc: Uint8Array): IccSummary {
  if (icc.length < 132) throw new Error('ICC profile too short');
  const dv = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
  const str = (at: number, n: number) => String.fromCharCode(...icc.subarray(at, at + n));
  if (str(36, 4) !== 'acsp') throw new Error('not an ICC profile');
  const count = dv.getUint32(128);
  const tags = new Map<string, Uint8Array>();
  for (let i = 0; i < count && 132 + 12 * i + 12 <= icc.length; i++) {
    const p = 132 + 12 * i;
    const off = dv.getUint32(p + 4);
    const size = dv.getUint32(p + 8);
    if (off + size <= icc.length) tags.set(str(p, 4), icc.subarray(off, off + size));
  }
  const xyz = (sig: string): Xyz | undefined => {
    const t = tags.get(sig);
    if (!t || t.length < 20 || String.fromCharCode(...t.subarray(0, 4)) !== 'XYZ ') return undefined;
    const d = new DataView(t.buffer, t.byteOffset, t.byteLength);
    return [d.getInt32(8) / 65536, d.getInt32(12) / 65536, d.getInt32(16) / 65536];
  };
  return { colorSpace: str(16, 4), description: readDescription(tags.get('desc')), red: xyz('rXYZ'), green: xyz('gXYZ'), blue: xyz('bXYZ') };
}

function readDescription(t: Uint8Array | undefined): string {
  if (!t || t.length < 12) return '';
  const d = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const type = String.fromCharCode(...t.subarray(0, 4));
  if (type === 'desc') {
    const n = Math.min(d.getUint32(8), t.length - 12);
    return String.fromCharCode(...t.subarray(12, 12 + n)).replace(/\0+$/, '');
  }
  if (type === 'mluc' && t.length >= 28) {
    const len = d.getUint32(20);
    const off = d.getUint32(24);
    let s = '';
    for (let i = 0; i + 1 < len && off + i + 1 < t.length; i += 2) s += String.fromCharCode(d.getUint16(off + i));
    return s.replace(/\0+$/, '');
  }
  return '';
}

/**
 * True when the profile is sRGB in practice: its name says sRGB, or its colorants are sRGB's
 * (within 0.002, which covers every sRGB variant in the wild: HP/Microsoft, ICC v4 preference,
 * Apple, Google's compact "sRGB", Facebook's "c2", libvips' built-in).
 */
export function isSrgbProfile(summary: IccSummary): boolean {
  if (summary.colorSpace !== 'RGB ') return false;
  if (/srgb/i.test(summary.description)) return true;
  const ref: Xyz[] = [[0.436066, 0.222488, 0.013916], [0.385147, 0.716873, 0.097076], [0.143066, 0.060608, 0.714096]];
  const got = [summary.red, summary.green, summary.blue];
  return got.every((c, i) => c !== undefined && c.every((v, k) => Math.abs(v - ref[i][k]) < 0.002));
}
