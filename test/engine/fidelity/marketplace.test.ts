import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRgba8, type Mask, type Rgba8Image } from '../../../src/engine/image';
import { checkMarketplace, MARKETPLACE_RULES, MARKETPLACES } from '../../../src/engine/fidelity/marketplace';

/** A backdrop of one grey level with a dark gold rectangle "piece" covering `fill` of each side, centred. */
function packshot(w: number, h: number, backdrop: number, fill: number): { image: Rgba8Image; mask: Mask } {
  const d = new Uint8Array(w * h * 4).fill(backdrop);
  const m = new Uint8Array(w * h);
  const pw = Math.round(w * fill), ph = Math.round(h * fill);
  const x0 = (w - pw) >> 1, y0 = (h - ph) >> 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      d[i * 4 + 3] = 255;
      if (x >= x0 && x < x0 + pw && y >= y0 && y < y0 + ph) { d.set([190, 150, 70, 255], i * 4); m[i] = 255; }
    }
  }
  return { image: createRgba8(w, h, d), mask: createMask(w, h, m) };
}

const byId = (checks: ReturnType<typeof checkMarketplace>, id: string) => {
  const c = checks.find((k) => k.id === id);
  assert.ok(c, `no ${id} in ${checks.map((k) => k.id).join(', ')}`);
  return c;
};

test('Amazon main: a 2000 px square on pure white with the piece at 90 % passes everything', () => {
  const { image, mask } = packshot(2000, 2000, 255, 0.9);
  const checks = checkMarketplace(image, mask, 'amazon-main', { fileBytes: 2_000_000, aiBackground: false });
  const failing = checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.id} ${c.verdict} ${c.figure}`);
  assert.deepEqual(failing, []);
});

test('Amazon main: a lightbox "white" of 245, a small piece, a 12 MB file and a generated background all fail', () => {
  const { image, mask } = packshot(800, 800, 245, 0.5);
  const checks = checkMarketplace(image, mask, 'amazon-main', { fileBytes: 12 * 1_048_576, aiBackground: true });
  for (const id of ['border-white', 'background-white', 'fill', 'size', 'file-size', 'ai-background']) {
    assert.equal(byId(checks, `amazon-main:${id}`).verdict, 'fail', id);
  }
  assert.match(byId(checks, 'amazon-main:border-white').detail ?? '', /darkest 245/);
});

test('Amazon fill is measured along the longest side: 86 % wide passes even when short', () => {
  const w = 1600, h = 1600;
  const { image } = packshot(w, h, 255, 0);
  const m = createMask(w, h);
  for (let y = 700; y < 900; y++) for (let x = 112; x < 112 + 1376; x++) m.data[y * w + x] = 255;
  const fill = byId(checkMarketplace(image, m, 'amazon-main'), 'amazon-main:fill');
  assert.equal(fill.verdict, 'pass');
  assert.equal(fill.figure, 86);
  assert.match(fill.detail ?? '', /covers 10\.8 % of the image \(Amazon jewelry asks for 80 %\)/);
});

test('Etsy takes 4:3 at 2700 × 2025 and has no white rule; it refuses a generated first photo', () => {
  const { image, mask } = packshot(2700, 2025, 235, 0.6);
  const checks = checkMarketplace(image, mask, 'etsy', { aiBackground: true });
  assert.equal(byId(checks, 'etsy:aspect').verdict, 'pass');
  assert.equal(byId(checks, 'etsy:size').verdict, 'pass');
  assert.ok(!checks.some((c) => c.id.includes('border')));
  assert.equal(byId(checks, 'etsy:ai-background').verdict, 'fail');
});

test('Shopify: over 4472 px per side fails; a generated background is fine', () => {
  const { image, mask } = packshot(4600, 400, 255, 0.8);
  const checks = checkMarketplace(image, mask, 'shopify', { aiBackground: true });
  assert.equal(byId(checks, 'shopify:max-size').verdict, 'fail');
  assert.equal(byId(checks, 'shopify:ai-background').verdict, 'pass');
  assert.equal(byId(checks, 'shopify:aspect').verdict, 'fail', 'an 11.5:1 strip is far from square');
});

test('Google: a piece filling 95 % warns (best practice 75–90 %), not fails', () => {
  const { image, mask } = packshot(1500, 1500, 255, 0.95);
  const fill = byId(checkMarketplace(image, mask, 'google'), 'google:fill');
  assert.equal(fill.verdict, 'warn');
  assert.ok(fill.pass);
});

test('every marketplace has presets matching one of its aspects', () => {
  for (const id of MARKETPLACES) {
    const r = MARKETPLACE_RULES[id];
    assert.ok(r.presets.length > 0);
    for (const p of r.presets) assert.ok(r.aspects.some((a) => Math.abs(p.width / p.height - a) < 1e-6), `${id} ${p.label}`);
  }
});
