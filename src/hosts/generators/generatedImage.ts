/**
 * A provider's answer checked before decoding: garbage and absurd dimensions (a decompression bomb) are
 * refused with a plain sentence. Codec-agnostic, so the panel and the command line refuse alike.
 */
import type { Rgba8Image } from '../../engine/image';
import { checkGeneratedSize, GeneratedImageError } from '../../engine/background/contextBackground';
import { GeneratorError } from './generator';
import type { ImageCodec } from './imageCodec';

export async function decodeGeneratedImage(bytes: Uint8Array, frameWidth: number, frameHeight: number, what: string, codec: ImageCodec): Promise<Rgba8Image> {
  let width: number;
  let height: number;
  try {
    ({ width, height } = await codec.size(bytes));
  } catch {
    throw new GeneratorError(`${what} sent back something that is not an image Loupe can read (${bytes.length} bytes); check its logs and that it answers PNG`);
  }
  if (!width || !height) throw new GeneratorError(`${what} sent back an image without dimensions; check its logs`);
  try {
    checkGeneratedSize(width, height, frameWidth, frameHeight);
  } catch (error) {
    if (error instanceof GeneratedImageError) throw new GeneratorError(`${what}: ${error.message}`);
    throw error;
  }
  try {
    return await codec.decode(bytes);
  } catch {
    throw new GeneratorError(`${what} sent back a damaged image; try again`);
  }
}

/** Base64 to bytes without Node's Buffer (the panel has none) and without relying on atob (UXP may not have it). */
export function base64Bytes(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    value = ((value << 6) | BASE64_VALUES[clean.charCodeAt(i)]) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

const BASE64_VALUES = (() => {
  const table = new Uint8Array(128);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();
