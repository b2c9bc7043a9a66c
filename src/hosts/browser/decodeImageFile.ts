/**
 * Decodes a file the retoucher opened in the browser into Loupe's pixels (8-bit sRGB RGBA) or a mask. Uses
 * the browser's own decoders, without colour conversion, so values are the file's own (what Loupe's PSD
 * host reads for an sRGB file). Browser-only (DOM).
 */
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../../engine/image';

/** The largest side the harness opens; beyond that a browser tab runs out of memory first. */
const MAX_SIDE = 12000;

export async function decodeImageFile(file: Blob & { name?: string }): Promise<Rgba8Image> {
  const name = file.name ?? 'the file';
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error(`"${name}" could not be read as an image: open a PNG, JPEG or WebP photo.`);
  }
  try {
    const { width, height } = bitmap;
    if (width > MAX_SIDE || height > MAX_SIDE) {
      throw new Error(`"${name}" is ${width}×${height}: the browser harness opens up to ${MAX_SIDE} px a side; use the command line (loupe retouch) for it.`);
    }
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('This browser gave no 2D canvas: try another browser.');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, width, height);
    return createRgba8(width, height, new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength));
  } finally {
    bitmap.close();
  }
}

/** A mask file: white = jewelry; read from the red channel of a grey image. */
export async function decodeMaskFile(file: Blob & { name?: string }): Promise<Mask> {
  const image = await decodeImageFile(file);
  const gray = new Uint8Array(image.width * image.height);
  for (let i = 0; i < gray.length; i++) gray[i] = image.data[i * 4];
  return createMask(image.width, image.height, gray);
}
