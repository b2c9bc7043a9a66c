/** The panel's plain-JS PNG codec: what it writes sharp reads exactly, what sharp writes it reads exactly; other bytes are refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createMask, createRgba8 } from '../../../src/engine/image';
import { portablePngCodec } from '../../../src/hosts/generators/portablePngCodec';
import { base64Bytes, decodeGeneratedImage } from '../../../src/hosts/generators/generatedImage';

function noisy(width: number, height: number) {
  const image = createRgba8(width, height);
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7919 + (i >> 3) * 31) % 256;
  return image;
}

test('encodes RGBA and grey PNGs that sharp decodes pixel for pixel', async () => {
  const image = noisy(37, 23);
  const back = await sharp(await portablePngCodec.encodePng(image)).ensureAlpha().raw().toBuffer();
  assert.deepEqual(new Uint8Array(back), image.data);
  const mask = createMask(19, 11, Uint8Array.from({ length: 19 * 11 }, (_, i) => (i * 13) % 256));
  const grey = await sharp(await portablePngCodec.encodeMaskPng(mask)).greyscale().raw().toBuffer();
  assert.deepEqual(new Uint8Array(grey), mask.data);
});

test('decodes what sharp writes: RGB, RGBA with every filter, grey, palette, 16-bit', async () => {
  const image = noisy(41, 29);
  const raw = { raw: { width: 41, height: 29, channels: 4 as const } };
  const rgba = await sharp(image.data, raw).png({ adaptiveFiltering: true }).toBuffer();
  assert.deepEqual((await portablePngCodec.decode(rgba)).data, image.data);
  const rgb = await sharp(image.data, raw).removeAlpha().png().toBuffer();
  const rgbBack = await portablePngCodec.decode(rgb);
  for (let i = 0; i < 41 * 29; i++) assert.deepEqual([...rgbBack.data.subarray(4 * i, 4 * i + 4)], [...image.data.subarray(4 * i, 4 * i + 3), 255]);
  const grey = await sharp(image.data, raw).removeAlpha().toColourspace('b-w').png().toBuffer();
  assert.equal(grey[25], 0, 'sharp wrote a grey PNG (colour type 0)');
  const greyRef = await sharp(grey).raw().toBuffer({ resolveWithObject: true });
  const greyBack = await portablePngCodec.decode(grey);
  for (let i = 0; i < 41 * 29; i++) assert.equal(greyBack.data[4 * i], greyRef.data[i * greyRef.info.channels]);
  const palette = await sharp(image.data, raw).png({ palette: true, colours: 200 }).toBuffer();
  const paletteRef = await sharp(palette).ensureAlpha().raw().toBuffer();
  assert.deepEqual((await portablePngCodec.decode(palette)).data, new Uint8Array(paletteRef));
  const deep = await sharp(image.data, raw).toColourspace('rgb16').png().toBuffer();
  assert.equal((await portablePngCodec.size(deep)).width, 41);
  const deepBack = await portablePngCodec.decode(deep);
  for (let i = 0; i < 200; i++) assert.ok(Math.abs(deepBack.data[i] - image.data[i]) <= 1);
});

test('garbage and JPEG are refused with a plain sentence; base64 without Buffer', async () => {
  await assert.rejects(decodeGeneratedImage(new Uint8Array([1, 2, 3]), 10, 10, 'the image service', portablePngCodec), /not an image Loupe can read \(3 bytes\).*answers PNG/);
  const jpeg = await sharp(noisy(8, 8).data, { raw: { width: 8, height: 8, channels: 4 } }).jpeg().toBuffer();
  await assert.rejects(decodeGeneratedImage(jpeg, 8, 8, 'the image service', portablePngCodec), /answers PNG/);
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
  for (const n of [0, 1, 2, 3, 1000]) assert.deepEqual(base64Bytes(Buffer.from(bytes.subarray(0, n)).toString('base64')), bytes.subarray(0, n));
});
