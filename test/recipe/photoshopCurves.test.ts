import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curveEvaluator, curveLut8, curveLut16, curveLutFine, isIdentityCurve } from '../../src/recipe/photoshopCurves';

const P = (pairs: [number, number][]) => pairs.map(([input, output]) => ({ input, output }));

test('2-point identity curve is the identity table', () => {
  const lut = curveLut8(P([[0, 0], [255, 255]]));
  for (let i = 0; i < 256; i++) assert.equal(lut[i], i);
  assert.ok(isIdentityCurve(P([[0, 0], [255, 255]])));
  assert.ok(isIdentityCurve(undefined));
  assert.ok(!isIdentityCurve(P([[0, 0], [128, 140], [255, 255]])));
});

test('2 points give a straight line, flat outside the end points', () => {
  const f = curveEvaluator(P([[50, 20], [200, 220]]));
  assert.equal(f(0), 20);
  assert.equal(f(50), 20);
  assert.ok(Math.abs(f(125) - 120) < 1e-9);
  assert.equal(f(230), 220);
  assert.equal(f(255), 220);
});

test('monotone 3-point curve passes through its points and stays monotone', () => {
  const pts = P([[0, 0], [96, 140], [255, 255]]);
  const f = curveEvaluator(pts);
  for (const p of pts) assert.ok(Math.abs(f(p.input) - p.output) < 1e-9);
  const lut = curveLut8(pts);
  for (let i = 1; i < 256; i++) assert.ok(lut[i] >= lut[i - 1], `not monotone at ${i}`);
  assert.equal(lut[96], 140);
});

test('natural spline: a known 3-point value (second derivative 0 at the ends)', () => {
  // Points (0,0), (128,192), (255,255): natural cubic spline evaluated by hand at x = 64.
  const f = curveEvaluator(P([[0, 0], [128, 192], [255, 255]]));
  const h0 = 128, h1 = 127;
  const m1 = (6 * ((255 - 192) / h1 - 192 / h0)) / (2 * (h0 + h1));
  const a = 0.5, b = 0.5;
  const expected = a * 0 + b * 192 + ((b * b * b - b) * m1 * h0 * h0) / 6;
  assert.ok(Math.abs(f(64) - expected) < 1e-9);
});

test('overshooting curves are clamped to 0..255', () => {
  const lut = curveLut8(P([[0, 0], [40, 250], [80, 5], [255, 255]]));
  let sawTop = false;
  let sawBottom = false;
  for (let i = 0; i < 256; i++) {
    assert.ok(lut[i] >= 0 && lut[i] <= 255);
    if (lut[i] === 255) sawTop = true;
    if (lut[i] === 0) sawBottom = true;
  }
  assert.ok(sawTop && sawBottom, 'this curve overshoots both ends and must clip');
});

test('unsorted and duplicate inputs are handled', () => {
  const a = curveLut8(P([[255, 255], [0, 0], [128, 100]]));
  const b = curveLut8(P([[0, 0], [128, 100], [255, 255]]));
  assert.deepEqual(a, b);
  const c = curveLut8(P([[0, 0], [128, 50], [128, 100], [255, 255]]));
  assert.deepEqual(c, b);
});

test('fine (16-bit) tables agree with the 8-bit table at the 8-bit code values', () => {
  const pts = P([[0, 10], [70, 90], [180, 160], [255, 240]]);
  const lut8 = curveLut8(pts);
  const fine = curveLutFine(pts);
  const lut16 = curveLut16(pts);
  for (let i = 0; i < 256; i++) {
    assert.equal(Math.round(fine[i * 257]), lut8[i]);
    assert.ok(Math.abs(lut16[i * 257] / 257 - fine[i * 257]) <= 0.5 / 257 + 1e-6);
  }
});
