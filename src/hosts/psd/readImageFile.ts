/**
 * Reads the photo a retoucher hands Loupe (PNG, JPEG, TIFF, PSD) into an sRGB RGBA buffer, and masks.
 *
 * Every refusal is an InputError whose message names the file, says what is wrong in a retoucher's words
 * and what to do in Photoshop (or the exporter) to fix it. Anything else thrown is a bug.
 *
 * Colour policy (embedded ICC profiles):
 * - no profile, or an sRGB profile: pixels are used as stored (byte-exact), as Photoshop does with an
 *   sRGB working space;
 * - another RGB profile (Adobe RGB, Display P3, ProPhoto, a camera profile): the pixels are CONVERTED to
 *   sRGB (perceptual intent, at the file's bit depth) and a warning says so. This is what a retoucher
 *   expects from Photoshop's "Convert to working space" policy: the photo keeps its look, and Loupe's
 *   output (a PSD tagged sRGB, web PNGs) is what catalogs need anyway. Refusing instead would stop a whole
 *   catalog batch for a file Photoshop opens without complaint; keeping the numbers but dropping the
 *   profile would silently desaturate Adobe RGB shots. The warning matters because wide-gamut colours
 *   (saturated golds, emeralds) can clip: whoever needs Adobe RGB output should retouch in the panel.
 * - grayscale: expanded to R = G = B without colour conversion (a Gray Gamma/Dot Gain profile is ignored).
 * - CMYK, Lab, 32-bit float: refused with how to convert (Loupe's analysis assumes sRGB code values).
 *
 * Bit depth: 16-bit PNG/TIFF/PSD stay 16-bit (Rgba16Image); everything else is 8-bit.
 * Orientation: JPEG/TIFF EXIF orientation is applied, as Photoshop does on open.
 *
 * PSD: we decode the merged (composite) image ourselves instead of with ag-psd's reader: ag-psd maps
 * every channel after the colour channels into the alpha slot (a PSD with two saved selections decodes to
 * garbage and even one selection becomes transparency), cannot read the ICC profile (1039), and parses
 * all layer records (which throws on some layer features) when only the composite is needed.
 */
import { open, stat } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import sharp from 'sharp';
import { createMask, createRgba16, createRgba8, type Mask, type RgbaImage } from '../../engine/image';
import { isSrgbProfile, summarizeIccProfile } from './srgbIccProfile';

/** Largest side Loupe accepts (also Photoshop's PSD limit; larger needs PSB). */
export const MAX_SIDE = 30000;

/** A problem with the user's file, explained for the user. `message` is complete and actionable. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InputError';
  }
}

export interface ReadOptions {
  /** Told about anything done to the pixels the user may not expect (e.g. a profile conversion). */
  readonly onWarning?: (message: string) => void;
}

type Kind = 'png' | 'jpeg' | 'tiff' | 'psd';

/** Reads PNG, JPEG, TIFF (8/16 bit) or PSD (its composite) as sRGB RGBA. Throws InputError on bad input. */
export async function readImageFile(path: string, options: ReadOptions = {}): Promise<RgbaImage> {
  const name = basename(path);
  const head = await readHead(path);
  const kind = sniff(head);
  if (!kind) throw notAnImage(path, name, head);
  if (kind === 'psd') return readPsdComposite(path, name, options);
  return readWithSharp(path, name, kind, options);
}

/**
 * Reads a mask (grayscale or RGB PNG/JPEG/TIFF; white = selected) as one byte per pixel. RGB is turned
 * into luminance; transparent pixels count as outside (black). Must be exactly width × height.
 */
export async function readMaskFile(path: string, width: number, height: number): Promise<Mask> {
  const name = basename(path);
  const head = await readHead(path);
  const kind = sniff(head);
  if (!kind) throw notAnImage(path, name, head);
  if (kind === 'psd') {
    throw new InputError(`${name} is a Photoshop file; a mask must be a PNG, JPEG or TIFF. In Photoshop, export the mask (white = jewelry) with File › Export › Export As… › PNG.`, path);
  }
  const meta = await sharpMetadata(path, name);
  checkColour(path, name, meta.space, meta.depth);
  const size = orientedSize(meta);
  checkSide(path, name, size.width, size.height);
  if (size.width !== width || size.height !== height) {
    throw new InputError(
      `The mask ${name} is ${size.width}×${size.height} px but the photo is ${width}×${height} px. ` +
        `Export the mask from the same photo without cropping or resizing (Image › Image Size must match).`,
      path,
    );
  }
  const data = await decode(path, name, (s) => {
    let p = s.autoOrient().keepIccProfile(); // masks are data, not colour: never colour-convert them
    if (meta.hasAlpha) p = p.flatten({ background: '#000000' });
    return p.toColourspace('b-w').extractChannel(0).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  });
  if (data.info.channels !== 1 || data.data.length !== width * height) throw new Error(`readMaskFile: unexpected decode ${JSON.stringify(data.info)}`);
  return createMask(width, height, new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.length));
}

// ---------------------------------------------------------------------------------------------------
// Sniffing and shared checks

async function readHead(path: string): Promise<Uint8Array> {
  const name = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputError(`Can't find ${path}. Check the file name and folder (drag the file onto the terminal to paste its exact path).`, path, { cause: err });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new InputError(`Loupe is not allowed to read ${path}. Check the file's permissions, or copy it to a folder you own.`, path, { cause: err });
    }
    throw new InputError(`Can't open ${path} (${code ?? String(err)}).`, path, { cause: err });
  }
  if (info.isDirectory()) throw new InputError(`${path} is a folder, not an image file. Give the path of one photo (PNG, JPEG, TIFF or PSD).`, path);
  if (info.size === 0) throw new InputError(`${name} is empty (0 bytes): the copy or export did not finish. Export or copy it again.`, path);
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(Math.min(64, info.size));
    await fh.read(buf, 0, buf.length, 0);
    return buf;
  } finally {
    await fh.close();
  }
}

function sniff(b: Uint8Array): Kind | undefined {
  const at = (i: number, ...bytes: number[]) => bytes.every((v, k) => b[i + k] === v);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (at(0, 0x38, 0x42, 0x50, 0x53)) return 'psd';
  return undefined;
}

const RAW_EXTENSIONS = new Set(['.cr2', '.cr3', '.nef', '.arw', '.dng', '.raf', '.orf', '.rw2', '.pef', '.srw', '.3fr', '.iiq']);

function notAnImage(path: string, name: string, head: Uint8Array): InputError {
  const at = (i: number, s: string) => [...s].every((c, k) => head[i + k] === c.charCodeAt(0));
  const ext = extname(name).toLowerCase();
  const convert = 'Export it from Photoshop or Lightroom as a 16-bit TIFF, a PSD or a PNG and try again.';
  if (at(0, 'RIFF') && at(8, 'WEBP')) return new InputError(`${name} is a WebP image, which Loupe does not read. ${convert}`, path);
  if (at(0, 'GIF8')) return new InputError(`${name} is a GIF (256 colours at most), not a photo Loupe can retouch. Use the original photo (TIFF, PSD, PNG or JPEG).`, path);
  if (at(4, 'ftyp')) return new InputError(`${name} is a HEIC/AVIF image, which Loupe does not read. ${convert}`, path);
  if (at(0, 'BM')) return new InputError(`${name} is a BMP image, which Loupe does not read. ${convert}`, path);
  if (at(0, '%PDF')) return new InputError(`${name} is a PDF, not a photo. ${convert}`, path);
  if (RAW_EXTENSIONS.has(ext)) return new InputError(`${name} is a camera raw file. Develop it in Camera Raw or Lightroom first, then export a 16-bit TIFF or PSD for Loupe.`, path);
  const looksLikeText = head.length > 0 && head.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0x80);
  const claimed = ext ? ` although its name ends in ${ext}` : '';
  if (looksLikeText) {
    return new InputError(`${name} is not an image: it contains text${claimed}. Check that you picked the right file, or export the photo again as PNG, JPEG, TIFF or PSD.`, path);
  }
  return new InputError(`${name} is not a PNG, JPEG, TIFF or PSD image${claimed}, or it is damaged. Open it in Photoshop and save it as TIFF, PSD or PNG.`, path);
}

function checkSide(path: string, name: string, width: number, height: number): void {
  if (width > MAX_SIDE || height > MAX_SIDE) {
    throw new InputError(
      `${name} is ${width}×${height} px; Loupe works on images up to ${MAX_SIDE} px per side. Reduce it in Photoshop (Image › Image Size) or crop it, then try again.`,
      path,
    );
  }
}

function cmykError(path: string, name: string): InputError {
  return new InputError(`${name} is CMYK: Loupe works on RGB photos. Convert it to sRGB (Edit › Convert to Profile › sRGB IEC61966-2.1) and try again.`, path);
}

function labError(path: string, name: string): InputError {
  return new InputError(`${name} is in Lab color: Loupe works on RGB photos. Convert it to sRGB (Edit › Convert to Profile › sRGB IEC61966-2.1) and try again.`, path);
}

function floatError(path: string, name: string): InputError {
  return new InputError(`${name} is a 32-bit (HDR, floating-point) image: Loupe reads 8- and 16-bit photos. In Photoshop choose Image › Mode › 16 Bits/Channel (tone it as you like), save, and try again.`, path);
}

function checkColour(path: string, name: string, space: string | undefined, depth: string | undefined): void {
  if (space === 'cmyk') throw cmykError(path, name);
  if (space === 'lab' || space === 'labs' || space === 'labq' || space === 'lch' || space === 'cmc') throw labError(path, name);
  if (depth === 'float' || depth === 'double' || depth === 'complex' || depth === 'dpcomplex' || space === 'scrgb') throw floatError(path, name);
  if (depth !== undefined && depth !== 'uchar' && depth !== 'ushort' && depth !== 'char' && depth !== 'short') {
    throw new InputError(`${name} stores ${depth} samples; Loupe reads 8- and 16-bit photos. Save it from Photoshop as an 8- or 16-bit TIFF and try again.`, path);
  }
  const ok = ['srgb', 'rgb', 'rgb16', 'b-w', 'grey16', undefined];
  if (!ok.includes(space)) {
    throw new InputError(`${name} uses the color space "${space}", which Loupe does not read. Convert it to sRGB (Edit › Convert to Profile) and save it as TIFF, PSD or PNG.`, path);
  }
}

// ---------------------------------------------------------------------------------------------------
// PNG, JPEG, TIFF through sharp

/**
 * failOn 'error' aborts on truncated or corrupt pixel data instead of returning a half-grey image
 * (with 'none' a JPEG cut short decodes "fine"; with 'truncated' a cut TIFF strip still passes).
 * We do not use 'warning': it also rejects harmless oddities (extra bytes before a JPEG marker) in
 * camera files Photoshop opens happily.
 */
const SHARP_INPUT = { failOn: 'error', limitInputPixels: MAX_SIDE * MAX_SIDE } as const;

async function sharpMetadata(path: string, name: string): Promise<sharp.Metadata> {
  try {
    return await sharp(path, SHARP_INPUT).metadata();
  } catch (err) {
    throw damaged(path, name, err);
  }
}

function damaged(path: string, name: string, err: unknown): InputError {
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  const truncated = /end of (stream|file)|premature|truncat|short read|read error|not enough|unexpected end/i.test(detail);
  const what = truncated
    ? `${name} is incomplete (the file ends early: an interrupted copy, download or export)`
    : `${name} is damaged and can't be read`;
  return new InputError(`${what}. Copy or export it again from the original. (Details: ${detail})`, path, { cause: err });
}

async function decode<T>(path: string, name: string, run: (s: sharp.Sharp) => Promise<T>): Promise<T> {
  try {
    return await run(sharp(path, SHARP_INPUT));
  } catch (err) {
    throw damaged(path, name, err);
  }
}

function orientedSize(meta: sharp.Metadata): { width: number; height: number } {
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: h, height: w } : { width: w, height: h };
}

async function readWithSharp(path: string, name: string, kind: Kind, options: ReadOptions): Promise<RgbaImage> {
  if (kind === 'png') await checkPngComplete(path, name);
  const meta = await sharpMetadata(path, name);
  checkColour(path, name, meta.space, meta.depth);
  const { width, height } = orientedSize(meta);
  checkSide(path, name, width, height);
  const sixteen = meta.depth === 'ushort' || meta.depth === 'short';
  const grey = meta.space === 'b-w' || meta.space === 'grey16';

  // Colour: see the policy at the top. keepIccProfile() stops sharp's implicit input transform, so sRGB
  // pixels stay byte-exact. withIccProfile('srgb') converts from the embedded profile; needed explicitly
  // because sharp's implicit transform targets Display P3 (not sRGB) for 16-bit images. (For 16-bit files
  // sharp still passes through P3 first: colours inside sRGB come out as in the 8-bit path, while colours
  // outside both P3 and sRGB, rare in jewelry, clip in two steps and may shift slightly in hue.)
  let convert = false;
  if (meta.icc && !grey) {
    let summary;
    try {
      summary = summarizeIccProfile(meta.icc);
    } catch {
      options.onWarning?.(`${name}: its embedded color profile is damaged; the colors are read as sRGB.`);
    }
    if (summary && summary.colorSpace === 'RGB ' && !isSrgbProfile(summary)) {
      convert = true;
      options.onWarning?.(profileWarning(name, summary.description));
    }
  }

  const out = await decode(path, name, (s) => {
    let p = s.autoOrient();
    p = convert ? p.withIccProfile('srgb') : p.keepIccProfile();
    p = p.ensureAlpha();
    return sixteen
      ? p.toColourspace('rgb16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true })
      : p.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  });
  const { info, data } = out;
  if (info.channels !== 4) throw new Error(`readImageFile: sharp returned ${info.channels} channels for ${name}`);
  if (sixteen) {
    const u16 = new Uint16Array(data.length / 2);
    new Uint8Array(u16.buffer).set(data); // copy: the Buffer may be unaligned or pooled
    return createRgba16(info.width, info.height, u16);
  }
  return createRgba8(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
}

function profileWarning(name: string, description: string): string {
  const profile = description ? `"${description}"` : 'a non-sRGB profile';
  return `${name} has the color profile ${profile}; Loupe converted it to sRGB (the look is kept, but colors outside sRGB, such as very saturated golds, are clipped). The layered PSD is sRGB. To keep the wider gamut, retouch with the Loupe panel in Photoshop instead.`;
}

/**
 * libspng decodes a PNG whose IEND chunk is missing without complaint once all pixel rows are present.
 * A PNG that stops before IEND was still cut short (interrupted copy), and the same cut one row earlier
 * would have lost pixels, so we refuse it too.
 */
async function checkPngComplete(path: string, name: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLength = Math.min(size, 4096);
    const tail = new Uint8Array(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    const iend = [0x49, 0x45, 0x4e, 0x44];
    for (let i = tailLength - 8; i >= 0; i--) {
      if (iend.every((v, k) => tail[i + k] === v)) return;
    }
  } finally {
    await fh.close();
  }
  throw new InputError(`${name} is incomplete (the file ends early: an interrupted copy, download or export). Copy or export it again from the original.`, path);
}

// ---------------------------------------------------------------------------------------------------
// PSD composite (merged image data)

async function readPsdComposite(path: string, name: string, options: ReadOptions): Promise<RgbaImage> {
  const buf = await readFile(path);
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const truncated = () => new InputError(`${name} is incomplete (the file ends early: an interrupted copy or save). Save it again from Photoshop.`, path);
  const need = (end: number) => {
    if (end > bytes.length) throw truncated();
  };
  need(26);
  const version = dv.getUint16(4);
  if (version !== 1 && version !== 2) throw new InputError(`${name} is a damaged Photoshop file (unknown version ${version}). Open it in Photoshop and save it again.`, path);
  const large = version === 2;
  const channels = dv.getUint16(12);
  const height = dv.getUint32(14);
  const width = dv.getUint32(18);
  const depth = dv.getUint16(22);
  const mode = dv.getUint16(24);

  if (mode === 4) throw cmykError(path, name);
  if (mode === 9) throw labError(path, name);
  if (mode !== 1 && mode !== 3) {
    const modeName = ({ 0: 'Bitmap', 2: 'Indexed Color', 7: 'Multichannel', 8: 'Duotone' } as Record<number, string>)[mode] ?? `mode ${mode}`;
    throw new InputError(`${name} is in ${modeName} mode: Loupe works on RGB photos. In Photoshop choose Image › Mode › RGB Color, save, and try again.`, path);
  }
  if (depth === 32) throw floatError(path, name);
  if (depth !== 8 && depth !== 16) throw new InputError(`${name} has ${depth} bits per channel; Loupe reads 8- and 16-bit photos. In Photoshop choose Image › Mode › 16 Bits/Channel and save again.`, path);
  if (width === 0 || height === 0) throw new InputError(`${name} has no pixels (${width}×${height}). Open it in Photoshop and save it again.`, path);
  checkSide(path, name, width, height);

  // Colour mode data, then image resources.
  let p = 26;
  need(p + 4);
  p += 4 + dv.getUint32(p);
  need(p + 4);
  const resourcesEnd = p + 4 + dv.getUint32(p);
  need(resourcesEnd);
  let icc: Uint8Array | undefined;
  let hasRealMergedData = true;
  for (let r = p + 4; r + 12 <= resourcesEnd; ) {
    if (dv.getUint32(r) !== 0x3842494d) break; // '8BIM'; anything else: stop, resources are optional
    const id = dv.getUint16(r + 4);
    const nameLength = bytes[r + 6];
    const sizeAt = r + 6 + ((1 + nameLength + 1) & ~1);
    if (sizeAt + 4 > resourcesEnd) break;
    const size = dv.getUint32(sizeAt);
    const data = bytes.subarray(sizeAt + 4, Math.min(sizeAt + 4 + size, resourcesEnd));
    if (id === 1039) icc = data;
    if (id === 1057 && data.length >= 5) hasRealMergedData = data[4] !== 0;
    r = sizeAt + 4 + size + (size & 1);
  }
  if (!hasRealMergedData) {
    throw new InputError(
      `${name} was saved with "Maximize Compatibility" off, so it holds no flattened image Loupe can read. In Photoshop, turn on Preferences › File Handling › Maximize PSD and PSB File Compatibility, save the file again, and try again (or export a 16-bit TIFF).`,
      path,
    );
  }

  // Layer and mask information: only the sign of the layer count matters (negative = the first extra
  // channel of the merged image is its transparency; otherwise extra channels are saved selections).
  p = resourcesEnd;
  const lenSize = large ? 8 : 4;
  need(p + lenSize);
  const layerMaskLength = large ? Number(dv.getBigUint64(p)) : dv.getUint32(p);
  let mergedAlpha = false;
  if (layerMaskLength >= lenSize + 2) {
    need(p + lenSize + lenSize + 2);
    const layerInfoLength = large ? Number(dv.getBigUint64(p + lenSize)) : dv.getUint32(p + lenSize);
    if (layerInfoLength >= 2) mergedAlpha = dv.getInt16(p + 2 * lenSize) < 0;
  }
  p += lenSize + layerMaskLength;

  const colourChannels = mode === 3 ? 3 : 1;
  if (channels < colourChannels) throw new InputError(`${name} is a damaged Photoshop file (${channels} channels in ${mode === 3 ? 'RGB' : 'Grayscale'}). Open it in Photoshop and save it again.`, path);
  const wanted = mergedAlpha && channels > colourChannels ? colourChannels + 1 : colourChannels;
  const bytesPerSample = depth / 8;
  const rowBytes = width * bytesPerSample;
  const planes: Uint8Array[] = [];

  need(p + 2);
  const compression = dv.getUint16(p);
  p += 2;
  if (compression === 0) {
    const planeBytes = rowBytes * height;
    need(p + planeBytes * wanted);
    for (let c = 0; c < wanted; c++) planes.push(bytes.subarray(p + c * planeBytes, p + (c + 1) * planeBytes));
  } else if (compression === 1) {
    const countSize = large ? 4 : 2;
    const countsAt = p;
    need(countsAt + countSize * channels * height);
    let data = countsAt + countSize * channels * height;
    for (let c = 0; c < wanted; c++) {
      const plane = new Uint8Array(rowBytes * height);
      for (let y = 0; y < height; y++) {
        const at = countsAt + countSize * (c * height + y);
        const n = large ? dv.getUint32(at) : dv.getUint16(at);
        need(data + n);
        if (!unpackBitsRow(bytes, data, n, plane, y * rowBytes, rowBytes)) {
          throw new InputError(`${name} is a damaged Photoshop file (bad compressed row ${y}). Open it in Photoshop and save it again.`, path);
        }
        data += n;
      }
      planes.push(plane);
    }
  } else {
    throw new InputError(`${name} stores its flattened image with compression ${compression}, which Loupe does not read. Save it again from Photoshop, or export a 16-bit TIFF.`, path);
  }

  const n = width * height;
  const alpha = planes[colourChannels];
  let image: RgbaImage;
  if (depth === 8) {
    const out = new Uint8Array(n * 4);
    const [r, g = r, b = r] = colourChannels === 3 ? planes : [planes[0]];
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      out[o] = r[i];
      out[o + 1] = g[i];
      out[o + 2] = b[i];
      out[o + 3] = alpha ? alpha[i] : 255;
    }
    if (alpha) unmatte(out, 255);
    image = createRgba8(width, height, out);
  } else {
    const out = new Uint16Array(n * 4);
    const be = (plane: Uint8Array, i: number) => (plane[2 * i] << 8) | plane[2 * i + 1];
    const [r, g = r, b = r] = colourChannels === 3 ? planes : [planes[0]];
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      out[o] = be(r, i);
      out[o + 1] = be(g, i);
      out[o + 2] = be(b, i);
      out[o + 3] = alpha ? be(alpha, i) : 65535;
    }
    if (alpha) unmatte(out, 65535);
    image = createRgba16(width, height, out);
  }

  if (icc && mode === 3) {
    let summary;
    try {
      summary = summarizeIccProfile(icc);
    } catch {
      options.onWarning?.(`${name}: its embedded color profile is damaged; the colors are read as sRGB.`);
    }
    if (summary && summary.colorSpace === 'RGB ' && !isSrgbProfile(summary)) {
      options.onWarning?.(profileWarning(name, summary.description));
      image = await convertToSrgb(image, icc, path, name);
    }
  }
  return image;
}

/** PackBits row decode; false when the row is malformed. */
function unpackBitsRow(src: Uint8Array, at: number, n: number, dst: Uint8Array, o: number, rowBytes: number): boolean {
  const end = at + n;
  const stop = o + rowBytes;
  while (at < end && o < stop) {
    const h = src[at++];
    if (h < 128) {
      const len = h + 1;
      if (at + len > end || o + len > stop) return false;
      dst.set(src.subarray(at, at + len), o);
      at += len;
      o += len;
    } else if (h > 128) {
      const len = 257 - h;
      if (at >= end || o + len > stop) return false;
      dst.fill(src[at++], o, o + len);
      o += len;
    } // 128: no-op
  }
  return o === stop;
}

/** Photoshop stores a transparent composite blended over white; undo it (as ag-psd does). */
function unmatte(px: Uint8Array | Uint16Array, max: number): void {
  for (let i = 0; i < px.length; i += 4) {
    const a = px[i + 3];
    if (a === 0 || a === max) continue;
    const f = max / a;
    for (let c = 0; c < 3; c++) px[i + c] = Math.min(max, Math.max(0, Math.round((px[i + c] - max) * f + max)));
  }
}

/** Converts pixels tagged with `icc` to sRGB, by handing sharp an uncompressed TIFF that embeds the profile. */
async function convertToSrgb(image: RgbaImage, icc: Uint8Array, path: string, name: string): Promise<RgbaImage> {
  const tiff = encodeTiff({ width: image.width, height: image.height, samples: image.data, samplesPerPixel: 4, photometric: 2, icc });
  try {
    const s = sharp(tiff, { limitInputPixels: false }).withIccProfile('srgb');
    if (image.depth === 16) {
      const { data, info } = await s.toColourspace('rgb16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
      const u16 = new Uint16Array(data.length / 2);
      new Uint8Array(u16.buffer).set(data);
      return createRgba16(info.width, info.height, u16);
    }
    const { data, info } = await s.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return createRgba8(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
  } catch (err) {
    throw new InputError(`${name}: its color profile could not be converted to sRGB. In Photoshop use Edit › Convert to Profile › sRGB IEC61966-2.1, save, and try again.`, path, { cause: err });
  }
}

export interface TiffSpec {
  readonly width: number;
  readonly height: number;
  /** Interleaved samples; Uint8Array = 8-bit, Uint16Array = 16-bit, Float32Array = 32-bit float. */
  readonly samples: Uint8Array | Uint16Array | Float32Array;
  readonly samplesPerPixel: number;
  /** 1 = gray (min is black), 2 = RGB, 5 = CMYK, 8 = CIE Lab. */
  readonly photometric: number;
  readonly icc?: Uint8Array;
}

/**
 * Minimal baseline TIFF (little-endian, uncompressed, one strip, interleaved). Used to hand sharp pixels
 * plus an ICC profile; exported for tests that need TIFF variants sharp cannot write (Lab, float).
 * Extra samples beyond the colour ones are declared as unassociated alpha.
 */
export function encodeTiff(spec: TiffSpec): Uint8Array {
  const { width, height, samples, samplesPerPixel: spp, photometric } = spec;
  const bits = samples instanceof Uint8Array ? 8 : samples instanceof Uint16Array ? 16 : 32;
  const sampleFormat = samples instanceof Float32Array ? 3 : 1;
  const colourSamples = photometric === 1 ? 1 : photometric === 5 ? 4 : 3;
  const extra = spp - colourSamples;
  const pixelBytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength); // host order = little-endian
  const entries: [tag: number, type: number, values: number[] | Uint8Array][] = [
    [256, 4, [width]],
    [257, 4, [height]],
    [258, 3, new Array(spp).fill(bits)],
    [259, 3, [1]],
    [262, 3, [photometric]],
    [273, 4, [0]], // strip offset, patched below
    [277, 3, [spp]],
    [278, 4, [height]],
    [279, 4, [pixelBytes.length]],
    [284, 3, [1]],
    ...(extra > 0 ? [[338, 3, new Array(extra).fill(2)] as [number, number, number[]]] : []),
    [339, 3, new Array(spp).fill(sampleFormat)],
    ...(spec.icc ? [[34675, 7, spec.icc] as [number, number, Uint8Array]] : []),
  ];
  const typeSize = (t: number) => (t === 3 ? 2 : t === 4 ? 4 : 1);
  const ifdSize = 2 + 12 * entries.length + 4;
  let extraAt = 8 + ifdSize;
  const blobs: { at: number; bytes: Uint8Array }[] = [];
  const encoded = entries.map(([tag, type, values]) => {
    const bytes =
      values instanceof Uint8Array
        ? values
        : (() => {
            const b = new Uint8Array(values.length * typeSize(type));
            const d = new DataView(b.buffer);
            values.forEach((v, i) => (type === 3 ? d.setUint16(2 * i, v, true) : d.setUint32(4 * i, v, true)));
            return b;
          })();
    const count = values instanceof Uint8Array ? values.length : values.length;
    if (bytes.length <= 4) return { tag, type, count, inline: bytes, offset: 0 };
    const at = extraAt;
    blobs.push({ at, bytes });
    extraAt += bytes.length + (bytes.length & 1);
    return { tag, type, count, inline: undefined, offset: at };
  });
  const dataAt = extraAt;
  const out = new Uint8Array(dataAt + pixelBytes.length);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, 8, true);
  dv.setUint16(8, entries.length, true);
  encoded.forEach((e, i) => {
    const p = 10 + 12 * i;
    dv.setUint16(p, e.tag, true);
    dv.setUint16(p + 2, e.type, true);
    dv.setUint32(p + 4, e.count, true);
    if (e.tag === 273) dv.setUint32(p + 8, dataAt, true);
    else if (e.inline) out.set(e.inline, p + 8);
    else dv.setUint32(p + 8, e.offset, true);
  });
  dv.setUint32(10 + 12 * entries.length, 0, true);
  for (const b of blobs) out.set(b.bytes, b.at);
  out.set(pixelBytes, dataAt);
  return out;
}
