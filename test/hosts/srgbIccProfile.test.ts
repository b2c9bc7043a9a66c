import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { SRGB_PROFILE_DESCRIPTION, isSrgbProfile, srgbIccProfile, summarizeIccProfile } from '../../src/hosts/psd/srgbIccProfile';
import { scratchDir } from '../scratchDir';

test('the generated profile is a small, valid-looking ICC v2 sRGB profile', () => {
  const icc = srgbIccProfile();
  const dv = new DataView(icc.buffer);
  assert.equal(dv.getUint32(0), icc.length);
  assert.ok(icc.length < 3000, `${icc.length} bytes`);
  assert.equal(dv.getUint32(8), 0x02100000);
  const s = summarizeIccProfile(icc);
  assert.equal(s.colorSpace, 'RGB ');
  assert.equal(s.description, SRGB_PROFILE_DESCRIPTION);
  assert.ok(isSrgbProfile(s));
  // Primaries sum to the D50 white, as a v2 display profile requires.
  const sum = [0, 1, 2].map((k) => s.red![k] + s.green![k] + s.blue![k]);
  [0.9642, 1, 0.8249].forEach((v, k) => assert.ok(Math.abs(sum[k] - v) < 0.001));
  assert.deepEqual(srgbIccProfile(), icc, 'deterministic bytes');
});

test('LittleCMS (through sharp) loads it; sRGB → it is (nearly) the identity', async () => {
  const dir = scratchDir('loupe-icc-');
  const path = join(dir, 'loupe-srgb.icc');
  writeFileSync(path, srgbIccProfile());
  const n = 64 * 64;
  const px = Uint8Array.from({ length: n * 3 }, (_, i) => (i * 37 + (i >> 6)) & 255);
  const out = await sharp(px, { raw: { width: 64, height: 64, channels: 3 } }).withIccProfile(path).png().toBuffer();
  const meta = await sharp(out).metadata();
  assert.ok(meta.icc && summarizeIccProfile(meta.icc).description === SRGB_PROFILE_DESCRIPTION);
  const back = await sharp(out).keepIccProfile().raw().toBuffer();
  let worst = 0;
  for (let i = 0; i < px.length; i++) worst = Math.max(worst, Math.abs(back[i] - px[i]));
  assert.ok(worst <= 1, `max difference ${worst}`);
});

test('isSrgbProfile recognises sharp\'s own sRGB and rejects Display P3', async () => {
  const tagged = (profile: string) => sharp({ create: { width: 2, height: 2, channels: 3, background: '#808080' } }).withIccProfile(profile).png().toBuffer().then((b) => sharp(b).metadata());
  assert.ok(isSrgbProfile(summarizeIccProfile((await tagged('srgb')).icc!)));
  assert.ok(!isSrgbProfile(summarizeIccProfile((await tagged('p3')).icc!)));
});
