import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRgba8 } from '../../src/engine/image';
import { writeFileAtomically, writePng } from '../../src/hosts/psd/writeFileAtomically';
import { scratchDir } from '../scratchDir';

const fresh = () => scratchDir('loupe-atomic-');

test('writes bytes and leaves no temporary file', async () => {
  const dir = fresh();
  const p = join(dir, 'out.psd');
  await writeFileAtomically(p, Uint8Array.of(1, 2, 3));
  assert.deepEqual(Array.from(readFileSync(p)), [1, 2, 3]);
  assert.deepEqual(readdirSync(dir), ['out.psd']);
});

test('a failure half-way leaves no file behind (and no temporary file)', async () => {
  const dir = fresh();
  const p = join(dir, 'out.psd');
  await assert.rejects(
    writeFileAtomically(p, async (temp) => {
      await writeFile(temp, Buffer.alloc(1000, 7)); // half-written output…
      throw new Error('disk full (simulated)'); // …then the run dies
    }),
    /disk full/,
  );
  assert.equal(existsSync(p), false);
  assert.deepEqual(readdirSync(dir), []);
});

test('a failure keeps the previous file intact', async () => {
  const dir = fresh();
  const p = join(dir, 'out.png');
  writeFileSync(p, 'previous good file');
  await assert.rejects(writeFileAtomically(p, async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(readFileSync(p, 'utf8'), 'previous good file');
  assert.deepEqual(readdirSync(dir), ['out.png']);
});

test('writing into a missing folder fails cleanly', async () => {
  const dir = fresh();
  await assert.rejects(writeFileAtomically(join(dir, 'no', 'such', 'x.psd'), Uint8Array.of(1)), /ENOENT/);
  assert.deepEqual(readdirSync(dir), []);
});

test('writePng: opaque → RGB PNG with an sRGB chunk, pixels byte-exact; transparent → RGBA', async () => {
  const dir = fresh();
  const w = 16, h = 8;
  const opaque = createRgba8(w, h, Uint8Array.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 29) & 255)));
  const p = join(dir, 'opaque.png');
  await writePng(p, opaque);
  const bytes = readFileSync(p);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  assert.equal(bytes.toString('latin1', 37, 41), 'sRGB', 'sRGB chunk right after IHDR');
  const meta = await sharp(p).metadata();
  assert.equal(meta.channels, 3);
  const back = await sharp(p).ensureAlpha().raw().toBuffer();
  assert.ok(back.equals(Buffer.from(opaque.data)));

  const cut = createRgba8(w, h, opaque.data.map((v, i) => (i === 3 ? 0 : v)));
  const q = join(dir, 'cut.png');
  await writePng(q, cut);
  assert.equal((await sharp(q).metadata()).channels, 4);
  assert.ok((await sharp(q).raw().toBuffer()).equals(Buffer.from(cut.data)));
  assert.deepEqual(readdirSync(dir).sort(), ['cut.png', 'opaque.png']);
});
