/** The command line's codec (sharp): PNG out, any format sharp reads back in. Node only. */
import sharp from 'sharp';
import { createRgba8, type Mask, type Rgba8Image } from '../../engine/image';
import type { ImageCodec } from './imageCodec';

export async function encodePng(image: Rgba8Image): Promise<Uint8Array<ArrayBuffer>> {
  return Uint8Array.from(await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } }).png().toBuffer());
}

export async function encodeMaskPng(mask: Mask): Promise<Uint8Array<ArrayBuffer>> {
  return Uint8Array.from(await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } }).png().toBuffer());
}

export const sharpCodec: ImageCodec = {
  encodePng,
  encodeMaskPng,
  async size(bytes) {
    const { width, height } = await sharp(bytes).metadata();
    return { width: width ?? 0, height: height ?? 0 };
  },
  async decode(bytes) {
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return createRgba8(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
  },
};
