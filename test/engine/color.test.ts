import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  srgb8ToLab, labToSrgb8, linearToLab, labToLinear, srgbToLinear, linearToSrgb, linearToSrgb8, linearToSrgb16,
  SRGB8_TO_LINEAR, srgb16ToLinearTable, labToLch, lchToLab, chroma, hueDeg, linearToXyz, xyzToLinear,
  xyzToLab, labToXyz, xyzD65ToD50, xyzD50ToD65, WHITE_D50, rgbaToLabPlanes, labPlanesToRgba8,
} from '../../src/engine/color';
import { createRgba8 } from '../../src/engine/image';
import { readTsv } from './vectors';

const near = (got: number, exp: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - exp) <= tol, `${what}: got ${got}, expected ${exp} (±${tol})`);

test('sRGB transfer curve: known points, inverse, tables', () => {
  near(srgbToLinear(0.5), 0.21404114048223255, 1e-12, 'decode 0.5');
  near(srgbToLinear(0.04045), 0.04045 / 12.92, 1e-15, 'decode at knee');
  near(linearToSrgb(0.0031308), 0.0031308 * 12.92, 1e-15, 'encode at knee');
  for (let v = 0; v <= 1; v += 1 / 97) near(linearToSrgb(srgbToLinear(v)), v, 1e-12, `round trip ${v}`);
  assert.equal(SRGB8_TO_LINEAR.length, 256);
  near(SRGB8_TO_LINEAR[128], srgbToLinear(128 / 255), 1e-7, 'table 128');
  const t16 = srgb16ToLinearTable();
  assert.equal(t16.length, 65536);
  near(t16[32768], srgbToLinear(32768 / 65535), 1e-7, 'table16 32768');
  assert.equal(t16[65535], 1);
});

test('linearToSrgb8 equals round(255·encode(l)) everywhere, including near 0', () => {
  for (let k = 0; k < 256; k++) assert.equal(linearToSrgb8(SRGB8_TO_LINEAR[k]), k, `code ${k}`);
  for (let i = 0; i <= 200000; i++) {
    const l = i < 100000 ? i / 1e8 : (i - 100000) / 100000; // dense near 0, then the full range
    assert.equal(linearToSrgb8(l), Math.round(255 * linearToSrgb(l)), `l=${l}`);
  }
  assert.equal(linearToSrgb8(-0.1), 0);
  assert.equal(linearToSrgb8(1.5), 255);
  assert.equal(linearToSrgb8(NaN), 0);
  assert.equal(linearToSrgb16(1), 65535);
  assert.equal(linearToSrgb16(srgbToLinear(0.5)), Math.round(0.5 * 65535));
});

test('sRGB → Lab D65 matches Lindbloom (8 colours) within 1e-3', () => {
  const rows = readTsv('srgb-lab-d65-lindbloom-8colors.tsv');
  assert.equal(rows.length, 8);
  for (const r of rows) {
    const lab = srgb8ToLab(Number(r.R8), Number(r.G8), Number(r.B8), 'D65');
    near(lab[0], Number(r.L), 1e-3, `${r.name} L`);
    near(lab[1], Number(r.a), 1e-3, `${r.name} a`);
    near(lab[2], Number(r.b), 1e-3, `${r.name} b`);
  }
});

test('sRGB → Lab D50 (Bradford) matches color.js (8 colours) within 0.03', () => {
  // color.js uses the D50 white from x,y = 0.3457,0.3585 (0.96430, 1, 0.82510); Loupe uses the ICC/Photoshop
  // white (0.96422, 1, 0.82521) and adapts D65 → exactly that white. That 1e-4 white difference moves
  // a*/b* by up to ~0.02 on saturated primaries (largest here: red a* 0.0075, blue L 0.0007, green b* 0.005).
  const rows = readTsv('srgb-lab-d50-colorjs-8colors.tsv');
  assert.equal(rows.length, 8);
  for (const r of rows) {
    const lab = srgb8ToLab(Number(r.R8), Number(r.G8), Number(r.B8), 'D50');
    near(lab[0], Number(r.L), 0.03, `${r.name} L`);
    near(lab[1], Number(r.a), 0.03, `${r.name} a`);
    near(lab[2], Number(r.b), 0.03, `${r.name} b`);
  }
  // and white is exactly neutral
  const w = srgb8ToLab(255, 255, 255, 'D50');
  near(w[0], 100, 1e-4, 'white L'); near(w[1], 0, 1e-4, 'white a'); near(w[2], 0, 1e-4, 'white b'); // the 7-digit matrix's Y row sums to 1.0000001
});

test('spec A.3 unit-test vectors: sRGB8 → Lab D50 (PS), h, C*/L*, G/R, B/R', () => {
  // [r, g, b, L, a, b, h or null, C*/L*, G/R, B/R]; G/R and B/R are ratios of linear values.
  const V: [number, number, number, number, number, number, number | null, number, number, number][] = [
    [247, 217, 172, 88.4, 6.0, 26.3, 77, 0.305, 0.746, 0.444],
    [203, 174, 127, 72.8, 6.0, 28.3, 78, 0.397, 0.709, 0.355],
    [245, 228, 174, 91.0, 0.1, 28.7, 90, 0.315, 0.850, 0.464],
    [235, 225, 170, 89.3, -2.6, 28.3, 95, 0.318, 0.906, 0.484],
    [241, 206, 179, 85.3, 9.8, 18.3, 62, 0.243, 0.702, 0.512],
    [231, 226, 224, 90.2, 1.5, 1.6, null, 0.024, 0.952, 0.933],
    [215, 209, 201, 84.2, 1.1, 4.8, 77, 0.058, 0.938, 0.860],
    [225, 230, 240, 91.1, -0.3, -5.5, 266, 0.060, 1.051, 1.157],
    [170, 170, 170, 69.6, 0, 0, null, 0, 1, 1],
    [248, 246, 242, 97.0, 0.2, 2.2, 85, 0.023, 0.982, 0.946],
  ];
  const out = new Float64Array(3);
  for (const [r, g, b, L, A, B, h, cl, gr, br] of V) {
    const tag = `${r},${g},${b}`;
    srgb8ToLab(r, g, b, 'D50', out);
    near(out[0], L, 0.15, `${tag} L`);
    near(out[1], A, 0.15, `${tag} a`);
    near(out[2], B, 0.15, `${tag} b`);
    const lch = labToLch(out[0], out[1], out[2]);
    if (h !== null) near(lch[2], h, 0.6, `${tag} h`); // table rounds h to whole degrees
    near(lch[1] / lch[0], cl, 0.0015, `${tag} C*/L*`);
    near(SRGB8_TO_LINEAR[g] / SRGB8_TO_LINEAR[r], gr, 0.0015, `${tag} G/R`);
    near(SRGB8_TO_LINEAR[b] / SRGB8_TO_LINEAR[r], br, 0.0015, `${tag} B/R`);
  }
});

test('Lab → sRGB8 round trip is exact for every code on a grid, both whites', () => {
  const lab = new Float64Array(3), rgb = new Float64Array(3);
  for (const white of ['D65', 'D50'] as const) {
    for (let r = 0; r < 256; r += 5) for (let g = 0; g < 256; g += 15) for (let b = 0; b < 256; b += 17) {
      srgb8ToLab(r, g, b, white, lab);
      labToSrgb8(lab[0], lab[1], lab[2], white, rgb);
      assert.deepEqual([rgb[0], rgb[1], rgb[2]], [r, g, b], `${white} ${r},${g},${b}`);
    }
  }
  // out of gamut clamps
  assert.deepEqual(labToSrgb8(50, 200, 0, 'D65').map((v) => v >= 0 && v <= 255), [true, true, true]);
});

test('linear ↔ Lab, XYZ, Bradford and LCh helpers are mutually inverse', () => {
  const lin = [0.2, 0.5, 0.8];
  for (const white of ['D65', 'D50'] as const) {
    const lab = linearToLab(lin[0], lin[1], lin[2], white);
    const back = labToLinear(lab[0], lab[1], lab[2], white);
    for (let i = 0; i < 3; i++) near(back[i], lin[i], 1e-12, `${white} linear round trip ${i}`);
  }
  const xyz = linearToXyz(lin[0], lin[1], lin[2]);
  const rgb = xyzToLinear(xyz[0], xyz[1], xyz[2]);
  for (let i = 0; i < 3; i++) near(rgb[i], lin[i], 1e-12, 'xyz round trip');
  const labA = xyzToLab(xyz[0], xyz[1], xyz[2], 'D65');
  const labB = linearToLab(lin[0], lin[1], lin[2], 'D65');
  for (let i = 0; i < 3; i++) near(labA[i], labB[i], 1e-10, 'xyzToLab = linearToLab');
  const x50 = xyzD65ToD50(0.95047, 1, 1.08883);
  for (let i = 0; i < 3; i++) near(x50[i], WHITE_D50[i], 1e-12, 'Bradford maps D65 white to D50 white');
  const x65 = xyzD50ToD65(x50[0], x50[1], x50[2]);
  near(x65[2], 1.08883, 1e-12, 'inverse Bradford');
  const lab50 = xyzToLab(x50[0], x50[1], x50[2], 'D50');
  near(lab50[0], 100, 1e-9, 'D50 white L');
  const x = labToXyz(40, 20, -30, 'D50');
  const l2 = xyzToLab(x[0], x[1], x[2], 'D50');
  near(l2[1], 20, 1e-10, 'labToXyz inverse a');
  // dark colour through the linear segment of f(t)
  const dark = labToXyz(3, 1, -1, 'D65');
  const d2 = xyzToLab(dark[0], dark[1], dark[2], 'D65');
  near(d2[0], 3, 1e-10, 'dark L'); near(d2[2], -1, 1e-10, 'dark b');
  // LCh
  near(chroma(3, 4), 5, 1e-15, 'chroma');
  near(hueDeg(0, 1), 90, 1e-12, 'hue 90');
  near(hueDeg(0, -1), 270, 1e-12, 'hue 270');
  near(hueDeg(-1, -1e-12), 180, 1e-9, 'hue just below 180 wraps into 0..360');
  const lch = labToLch(60, -10, -10);
  near(lch[2], 225, 1e-12, 'lch hue');
  const lab = lchToLab(lch[0], lch[1], lch[2]);
  near(lab[1], -10, 1e-12, 'lch → lab a'); near(lab[2], -10, 1e-12, 'lch → lab b');
});

test('allocation-free variants write into and return the given array', () => {
  const out = new Float64Array(3);
  const r = srgb8ToLab(10, 20, 30, 'D50', out);
  assert.equal(r, out);
  assert.deepEqual([...out], srgb8ToLab(10, 20, 30, 'D50'));
});

test('image-level Lab planes agree with the per-pixel functions and round-trip', () => {
  const data = new Uint8Array([255, 0, 0, 255, 12, 200, 99, 128, 247, 217, 172, 0, 0, 0, 0, 255]);
  const img = createRgba8(2, 2, data);
  const planes = rgbaToLabPlanes(img, 'D50');
  for (let i = 0; i < 4; i++) {
    const lab = srgb8ToLab(data[4 * i], data[4 * i + 1], data[4 * i + 2], 'D50');
    near(planes.L[i], lab[0], 1e-4, 'L'); near(planes.a[i], lab[1], 1e-4, 'a'); near(planes.b[i], lab[2], 1e-4, 'b');
  }
  const back = labPlanesToRgba8(planes, 'D50', img);
  assert.deepEqual([...back.data], [...data]);
});
