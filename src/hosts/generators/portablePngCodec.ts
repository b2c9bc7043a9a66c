/**
 * PNG in plain JavaScript (fflate for zlib), for the panel: UXP has no image decoder a plugin can call and
 * no sharp. Encodes 8-bit RGBA and grey; decodes the non-interlaced 8- and 16-bit PNGs image services
 * answer with (grey, grey+alpha, RGB, RGBA, palette). Anything else is refused, never guessed.
 */
import { unzlibSync, zlibSync } from 'fflate';
import { createRgba8, type Mask, type Rgba8Image } from '../../engine/image';
import type { ImageCodec } from './imageCodec';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export const portablePngCodec: ImageCodec = {
  encodePng: async (image) => encode(image.width, image.height, 6, 4, image.data),
  encodeMaskPng: async (mask: Mask) => encode(mask.width, mask.height, 0, 1, mask.data),
  async size(bytes) {
    const header = readHeader(bytes);
    return { width: header.width, height: header.height };
  },
  decode: async (bytes) => decode(bytes),
};

function encode(width: number, height: number, colorType: 0 | 6, channels: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1); // filter 0
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, colorType, 0, 0, 0], 8);
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', zlibSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(8 + chunks.reduce((n, c) => n + c.length, 0));
  out.set(SIGNATURE, 0);
  let at = 8;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Header { width: number; height: number; depth: number; colorType: number; interlace: number }

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function readHeader(bytes: Uint8Array): Header {
  if (bytes.length < 33 || SIGNATURE.some((v, i) => bytes[i] !== v)) throw new Error('not a PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw new Error('PNG without IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20), depth: bytes[24], colorType: bytes[25], interlace: bytes[28] };
}

function decode(bytes: Uint8Array): Rgba8Image {
  const header = readHeader(bytes);
  const { width, height, depth, colorType } = header;
  const channels = CHANNELS[colorType];
  if (!channels || header.interlace !== 0 || (depth !== 8 && !(depth === 16 && colorType !== 3))) {
    throw new Error(`unsupported PNG (colour type ${colorType}, ${depth} bits${header.interlace ? ', interlaced' : ''})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let palette: Uint8Array | null = null;
  let alphas: Uint8Array | null = null;
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IDAT') idat.push(body);
    else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') alphas = body;
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const joined = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of idat) { joined.set(c, o); o += c.length; }
  const bpp = channels * (depth / 8);
  const stride = width * bpp;
  const raw = unzlibSync(joined);
  if (raw.length < (stride + 1) * height) throw new Error('PNG data is truncated');
  const rows = unfilter(raw, stride, height, bpp);
  const out = createRgba8(width, height);
  const d = out.data;
  const sample = (i: number): number => (depth === 8 ? rows[i] : rows[i * 2]); // 16-bit: the high byte
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    const t = p * 4;
    switch (colorType) {
      case 0: d[t] = d[t + 1] = d[t + 2] = sample(s); d[t + 3] = 255; break;
      case 4: d[t] = d[t + 1] = d[t + 2] = sample(s); d[t + 3] = sample(s + 1); break;
      case 2: d[t] = sample(s); d[t + 1] = sample(s + 1); d[t + 2] = sample(s + 2); d[t + 3] = 255; break;
      case 6: d[t] = sample(s); d[t + 1] = sample(s + 1); d[t + 2] = sample(s + 2); d[t + 3] = sample(s + 3); break;
      case 3: {
        const index = rows[s];
        if (!palette || 3 * index + 2 >= palette.length) throw new Error('PNG palette index out of range');
        d[t] = palette[3 * index]; d[t + 1] = palette[3 * index + 1]; d[t + 2] = palette[3 * index + 2];
        d[t + 3] = alphas && index < alphas.length ? alphas[index] : 255;
        break;
      }
    }
  }
  return out;
}

/** PNG's five row filters undone (RFC 2083 §6). */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    const up = row - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[up + x] : 0;
      const c = x >= bpp && y > 0 ? out[up + x - bpp] : 0;
      let v = src[x];
      switch (filter) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`PNG row filter ${filter} is not valid`);
      }
      out[row + x] = v & 0xff;
    }
  }
  return out;
}
