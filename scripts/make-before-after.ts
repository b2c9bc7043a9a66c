/** Builds the README's before/after picture from the bundled sample and its retouched preview (run `npm run demo` first). */
import sharp from 'sharp';

const [before, after, out] = ['samples/ring-yellow-gold-warm-cast.png', 'out/ring-yellow-gold-warm-cast.loupe.png', 'samples/before-after.jpg'];
const width = 800;
const left = await sharp(before).resize({ width }).toBuffer();
const right = await sharp(after).resize({ width }).toBuffer();
const { height = 600 } = await sharp(left).metadata();
await sharp({ create: { width: width * 2 + 8, height, channels: 3, background: { r: 40, g: 40, b: 40 } } })
  .composite([{ input: left, left: 0, top: 0 }, { input: right, left: width + 8, top: 0 }])
  .jpeg({ quality: 85 })
  .toFile(out);
console.log(`wrote ${out}`);
