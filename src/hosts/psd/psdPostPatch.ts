/**
 * Adds to a finished PSD (as written by ag-psd) the two things ag-psd cannot write:
 *
 * 1. Image resources it has no public writer for: the ICC profile (1039; ag-psd only registers that
 *    handler in an internal mock mode) and DisplayInfo (1077, the colour/opacity Photoshop shows an
 *    alpha channel with).
 * 2. Saved selections (alpha channels). ag-psd writes their names (1006/1045) and ids (1053) but its
 *    merged-image writer always emits only the colour channels (+ merged transparency when the
 *    composite has alpha). Photoshop stores alpha channels as extra planes appended to the merged image
 *    data, after the colour (and transparency) planes, and counts them in the header's channel count.
 *
 * We never round-trip through ag-psd's reader to do this: its reader folds channel 4 into the composite
 * alpha and drops 1039/1077 (see psd-output.md, Limits 5). We splice bytes instead:
 *
 *   header(26) | colour mode data | image resources | layer & mask info | merged image data
 *                                   ^ append blocks                        ^ append planes
 *
 * PSD only (version 1), 8 bits per channel, raw or RLE merged data. PSB is not produced by Loupe.
 */

export interface PsdResource {
  /** Image resource id, e.g. 1039 (ICC profile), 1077 (DisplayInfo). */
  readonly id: number;
  readonly data: Uint8Array;
}

export interface PsdPatch {
  /** Added to the image resources; an existing block with the same id is replaced. */
  readonly resources?: readonly PsdResource[];
  /** Planes of width × height bytes, appended in order as alpha channels of the merged image. */
  readonly alphaChannels?: readonly Uint8Array[];
}

/** Photoshop refuses files with more than 56 channels. */
const MAX_CHANNELS = 56;

export function patchPsd(psd: Uint8Array, patch: PsdPatch): Uint8Array {
  const dv = new DataView(psd.buffer, psd.byteOffset, psd.byteLength);
  if (psd.length < 26 || dv.getUint32(0) !== 0x38425053 /* 8BPS */) throw new Error('patchPsd: not a PSD file');
  if (dv.getUint16(4) !== 1) throw new Error('patchPsd: only PSD (version 1) files can be patched, not PSB');
  if (dv.getUint16(22) !== 8) throw new Error('patchPsd: only 8-bit files can be patched');
  const channels = dv.getUint16(12);
  const height = dv.getUint32(14);
  const width = dv.getUint32(18);

  const colorModeEnd = 26 + 4 + dv.getUint32(26);
  const resourcesLength = dv.getUint32(colorModeEnd);
  const resourcesStart = colorModeEnd + 4;
  const resourcesEnd = resourcesStart + resourcesLength;
  const mergedStart = resourcesEnd + 4 + dv.getUint32(resourcesEnd); // after layer & mask info
  if (mergedStart + 2 > psd.length) throw new Error('patchPsd: truncated PSD');

  // --- image resources: keep every block whose id we do not replace, then append ours.
  const replaced = new Set((patch.resources ?? []).map((r) => r.id));
  const kept: Uint8Array[] = [];
  for (let p = resourcesStart; p < resourcesEnd; ) {
    const start = p;
    if (dv.getUint32(p) !== 0x3842494d /* 8BIM */) throw new Error('patchPsd: bad image resource block');
    const id = dv.getUint16(p + 4);
    const nameLength = psd[p + 6];
    p += 6 + ((1 + nameLength + 1) & ~1); // Pascal name padded to an even length
    const size = dv.getUint32(p);
    p += 4 + size + (size & 1); // data padded to an even length
    if (!replaced.has(id)) kept.push(psd.subarray(start, p));
  }
  for (const r of patch.resources ?? []) kept.push(resourceBlock(r));
  const newResources = concat(kept);

  // --- merged image data: append alpha planes.
  const alphas = patch.alphaChannels ?? [];
  for (const a of alphas) {
    if (a.length !== width * height) throw new Error(`patchPsd: alpha channel has ${a.length} bytes, expected ${width}×${height}`);
  }
  if (channels + alphas.length > MAX_CHANNELS) throw new Error(`patchPsd: Photoshop allows at most ${MAX_CHANNELS} channels`);
  const compression = dv.getUint16(mergedStart);
  const merged: Uint8Array[] = [];
  if (alphas.length === 0) {
    merged.push(psd.subarray(mergedStart));
  } else if (compression === 1) {
    // RLE layout: [compression u16][row byte counts u16 for channel 0 rows, channel 1 rows, …][channel data…].
    // New channels need their counts inserted after the existing counts and their data appended at the end.
    const countsEnd = mergedStart + 2 + 2 * channels * height;
    const packed = alphas.map((a) => packBitsPlane(a, width, height));
    merged.push(psd.subarray(mergedStart, countsEnd));
    for (const p of packed) merged.push(rowCountsBytes(p.counts));
    merged.push(psd.subarray(countsEnd));
    for (const p of packed) merged.push(p.data);
  } else if (compression === 0) {
    merged.push(psd.subarray(mergedStart), ...alphas);
  } else {
    throw new Error(`patchPsd: unsupported merged-image compression ${compression}`);
  }

  const out = concat([psd.subarray(0, colorModeEnd), u32(newResources.length), newResources, psd.subarray(resourcesEnd, mergedStart), ...merged]);
  new DataView(out.buffer).setUint16(12, channels + alphas.length);
  return out;
}

/**
 * DisplayInfo (1077) for N alpha channels: version 1, then per channel colour space 0 (RGB), four u16
 * colour components, opacity 0..100 and kind 0 ("Color Indicates: Masked Areas", Photoshop's default:
 * white = selected). Photoshop shows a channel without it, but with odd defaults.
 */
export function displayInfoResource(channels: readonly { rgb: readonly [number, number, number]; opacityPercent?: number }[]): PsdResource {
  const data = new Uint8Array(4 + 13 * channels.length);
  const dv = new DataView(data.buffer);
  dv.setUint32(0, 1);
  channels.forEach((c, i) => {
    const p = 4 + 13 * i;
    dv.setUint16(p, 0);
    c.rgb.forEach((v, k) => dv.setUint16(p + 2 + 2 * k, Math.round(Math.min(255, Math.max(0, v)) * 257)));
    dv.setUint16(p + 8, 0);
    dv.setUint16(p + 10, Math.round(c.opacityPercent ?? 50));
    data[p + 12] = 0;
  });
  return { id: 1077, data };
}

/** PackBits per row, as Photoshop's RLE: a run of 2..128 equal bytes → (257 − n, byte); literals → (n − 1, bytes…). */
export function packBitsPlane(plane: Uint8Array, width: number, height: number): { counts: Uint16Array; data: Uint8Array } {
  // Worst case per row: a 1-byte literal (2 bytes) before every run of 2 (2 bytes) = 4 bytes per 3 pixels,
  // plus a trailing literal header.
  const out = new Uint8Array(height * (Math.ceil((width * 4) / 3) + 2));
  const counts = new Uint16Array(height);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const start = o;
    const row = y * width;
    for (let i = 0; i < width; ) {
      let run = 1;
      while (i + run < width && run < 128 && plane[row + i + run] === plane[row + i]) run++;
      if (run > 1) {
        out[o++] = 257 - run;
        out[o++] = plane[row + i];
        i += run;
        continue;
      }
      // Literal span up to the next pair of equal bytes (a run of 2 is cheaper as a run only after literals end).
      let j = i + 1;
      while (j < width && j - i < 128 && !(j + 1 < width && plane[row + j] === plane[row + j + 1])) j++;
      out[o++] = j - i - 1;
      out.set(plane.subarray(row + i, row + j), o);
      o += j - i;
      i = j;
    }
    const n = o - start;
    if (n > 0xffff) throw new Error('packBitsPlane: row too long for PSD RLE');
    counts[y] = n;
  }
  return { counts, data: out.subarray(0, o) };
}

function rowCountsBytes(counts: Uint16Array): Uint8Array {
  const b = new Uint8Array(2 * counts.length);
  for (let i = 0; i < counts.length; i++) {
    b[2 * i] = counts[i] >> 8;
    b[2 * i + 1] = counts[i] & 255;
  }
  return b;
}

function resourceBlock(r: PsdResource): Uint8Array {
  const padded = r.data.length + (r.data.length & 1);
  const b = new Uint8Array(4 + 2 + 2 + 4 + padded);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x3842494d);
  dv.setUint16(4, r.id);
  // bytes 6, 7: empty Pascal name (length 0) padded to 2 bytes
  dv.setUint32(8, r.data.length);
  b.set(r.data, 12);
  return b;
}

function u32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
