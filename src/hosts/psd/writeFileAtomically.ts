/**
 * Output files appear whole or not at all: we write a temporary file next to the target (same folder,
 * so same file system, so rename is atomic), flush it to disk, then rename it over the target. A crash,
 * a full disk or an exception half-way leaves the previous file (if any) untouched and no partial
 * .psd/.png that Photoshop would call "damaged".
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import type { Mask, Rgba8Image } from '../../engine/image';

/** Writes `data` to `path` atomically. Or pass a function that writes the temporary path itself (e.g. sharp). */
export async function writeFileAtomically(path: string, data: Uint8Array | ((tempPath: string) => Promise<void>)): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (typeof data === 'function') {
      await data(temp);
      const fh = await open(temp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } else {
      const fh = await open(temp, 'wx');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Writes an 8-bit image as PNG, atomically. Opaque images are stored as RGB (25 % smaller, and what
 * catalog sites expect); others as RGBA. An sRGB chunk (rendering intent perceptual) tags the pixels as
 * sRGB: 13 bytes instead of a 3 KB ICC profile, understood by browsers, Photoshop and Lightroom, and
 * it leaves the pixel values byte-exact (sharp's withIccProfile would run a colour transform).
 */
export async function writePng(path: string, image: Rgba8Image): Promise<void> {
  const opaque = isOpaque(image.data);
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  if (opaque) pipeline = pipeline.removeAlpha();
  const png = await pipeline.png({ compressionLevel: 6, adaptiveFiltering: true }).toBuffer();
  await writeFileAtomically(path, insertSrgbChunk(new Uint8Array(png.buffer, png.byteOffset, png.length)));
}

/** Writes a mask as an 8-bit greyscale PNG (255 = selected), atomically. */
export async function writeMaskPng(path: string, mask: Mask): Promise<void> {
  const png = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
  await writeFileAtomically(path, new Uint8Array(png.buffer, png.byteOffset, png.length));
}

/** Inserts an sRGB chunk right after IHDR (it must precede PLTE and IDAT). */
function insertSrgbChunk(png: Uint8Array): Uint8Array {
  const ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, IHDR length, type, 13 data bytes, CRC
  const chunk = new Uint8Array(13);
  const dv = new DataView(chunk.buffer);
  dv.setUint32(0, 1);
  chunk.set([0x73, 0x52, 0x47, 0x42], 4); // 'sRGB'
  chunk[8] = 0; // perceptual
  dv.setUint32(9, crc32(chunk.subarray(4, 9)));
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, ihdrEnd));
  out.set(chunk, ihdrEnd);
  out.set(png.subarray(ihdrEnd), ihdrEnd + chunk.length);
  return out;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function isOpaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}
