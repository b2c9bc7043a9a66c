import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blendPixel, channelBlends, blendSoftLight, blendTable8, lum } from '../../src/recipe/blendModes';

const steps = Array.from({ length: 11 }, (_, i) => i / 10);
const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);

test('multiply by white, screen by black, overlay/soft light/linear light by 50% grey are identities', () => {
  for (const b of steps) {
    close(channelBlends.multiply(b, 1), b);
    close(channelBlends.screen(b, 0), b);
    close(channelBlends.overlay(0.5, b) , channelBlends.overlay(0.5, b)); // defined
    close(channelBlends['soft light'](b, 0.5), b);
    close(channelBlends['linear light'](b, 0.5), b);
    close(channelBlends.normal(b, 0.3), 0.3);
  }
  // Overlay is conditioned on the backdrop: a 50% grey *layer* leaves the backdrop unchanged.
  for (const b of steps) close(channelBlends.overlay(b, 0.5), b);
});

test('multiply/screen/overlay at known points', () => {
  close(channelBlends.multiply(0.5, 0.5), 0.25);
  close(channelBlends.screen(0.5, 0.5), 0.75);
  close(channelBlends.overlay(0.25, 0.8), 2 * 0.25 * 0.8);
  close(channelBlends.overlay(0.75, 0.2), 1 - 2 * 0.25 * 0.8);
  close(channelBlends['linear light'](0.9, 0.9), 1); // clamped
  close(channelBlends['linear light'](0.1, 0.1), 0);
});

test('soft light uses Photoshop\'s formula, not the W3C one', () => {
  // Photoshop: s ≤ ½: 2bs + b²(1 − 2s); s > ½: 2b(1 − s) + √b(2s − 1).
  close(blendSoftLight(0.25, 0.25), 2 * 0.25 * 0.25 + 0.0625 * 0.5);
  close(blendSoftLight(0.25, 0.75), 2 * 0.25 * 0.25 + 0.5 * 0.5);
  // W3C would give, for b = 0.1, s = 0.75: b + (2s − 1)(D(b) − b) with D(b) = ((16b − 12)b + 4)b for b ≤ ¼.
  const d = ((16 * 0.1 - 12) * 0.1 + 4) * 0.1;
  const w3c = 0.1 + 0.5 * (d - 0.1);
  close(blendSoftLight(0.1, 0.75), 2 * 0.1 * 0.25 + Math.sqrt(0.1) * 0.5);
  assert.ok(Math.abs(blendSoftLight(0.1, 0.75) - w3c) > 0.005);
  // What soft-light.psd (primary colours) can check: black and white backdrops are kept.
  for (const s of steps) {
    close(blendSoftLight(0, s), 0);
    close(blendSoftLight(1, s), 1);
  }
});

test('color and luminosity: W3C SetLum/ClipColor', () => {
  const out = [0, 0, 0];
  // Luminosity of a grey source onto a colour keeps the hue and takes the grey's luminosity.
  blendPixel('luminosity', 0.8, 0.2, 0.2, 0.5, 0.5, 0.5, out);
  close(lum(out[0], out[1], out[2]), 0.5, 1e-9);
  assert.ok(out[0] > out[1] && Math.abs(out[1] - out[2]) < 1e-9);
  // Color of a colour onto a grey takes the colour's hue/saturation, keeps the backdrop luminosity.
  blendPixel('color', 0.3, 0.3, 0.3, 0.9, 0.1, 0.1, out);
  close(lum(out[0], out[1], out[2]), 0.3, 1e-9);
  for (const v of out) assert.ok(v >= -1e-9 && v <= 1 + 1e-9);
  // 0..255 scale gives the same result scaled.
  const out255 = [0, 0, 0];
  blendPixel('color', 0.3 * 255, 0.3 * 255, 0.3 * 255, 0.9 * 255, 0.1 * 255, 0.1 * 255, out255, 255);
  for (let i = 0; i < 3; i++) close(out255[i] / 255, out[i], 1e-9);
});

test('8-bit blend tables match the channel functions', () => {
  const t = blendTable8('soft light');
  for (const [b, s] of [[0, 0], [64, 200], [200, 64], [255, 128], [128, 255]]) {
    close(t[b * 256 + s], channelBlends['soft light'](b / 255, s / 255) * 255, 1e-3);
  }
});
