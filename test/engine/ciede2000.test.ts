import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ciede2000, ciede2000Details, ciede2000Lab } from '../../src/engine/ciede2000';
import { readTsv, vectorPath } from './vectors';

const pairs = readTsv('ciede2000-sharma2005-34pairs.tsv').map((r) => ({
  pair: Number(r.pair),
  lab1: [Number(r.L1), Number(r.a1), Number(r.b1)] as const,
  lab2: [Number(r.L2), Number(r.a2), Number(r.b2)] as const,
  dE: Number(r.dE00),
}));

test('Sharma 2005: 34 pairs within 1e-4', () => {
  assert.equal(pairs.length, 34);
  for (const p of pairs) {
    const d = ciede2000(...p.lab1, ...p.lab2);
    assert.ok(Math.abs(d - p.dE) <= 1e-4, `pair ${p.pair}: got ${d}, expected ${p.dE}`);
  }
});

test('symmetric under swapping the two colours', () => {
  for (const p of pairs) {
    const d12 = ciede2000Lab(p.lab1, p.lab2);
    const d21 = ciede2000Lab(p.lab2, p.lab1);
    assert.ok(Math.abs(d12 - d21) <= 1e-12, `pair ${p.pair}: ${d12} vs ${d21}`);
  }
});

test('identical colours give 0; kL scales the lightness term', () => {
  assert.equal(ciede2000(50, 10, -20, 50, 10, -20), 0);
  const d1 = ciede2000(50, 0, 0, 60, 0, 0);
  const d2 = ciede2000(50, 0, 0, 60, 0, 0, 2);
  assert.ok(Math.abs(d2 - d1 / 2) < 1e-12);
});

test('Sharma 2005 intermediates (a′, C′, h′, h̄′, G, T, SL, SC, SH, RT) to 4 decimals', () => {
  // Row layout: pair 1 L1 a1 b1 ap1 cp1 hp1 hbar1 G T SL SC SH RT dE 2 L2 a2 b2 ap2 cp2 hp2
  // (dE and the '2' marker share a cell, separated by a space; split on any whitespace).
  const rows = readFileSync(vectorPath('ciede2000-sharma2005-skimage.txt'), 'utf8')
    .split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  assert.equal(rows.length, 34);
  for (const line of rows) {
    const v = line.trim().split(/\s+/).map(Number);
    const [pair, , L1, a1, b1, ap1, cp1, hp1, hbar, G, T, SL, SC, SH, RT, dE, , L2, a2, b2, ap2, cp2, hp2] = v;
    const d = ciede2000Details(L1, a1, b1, L2, a2, b2);
    const near = (name: string, got: number, exp: number, tol = 1.5e-4) =>
      assert.ok(Math.abs(got - exp) <= tol, `pair ${pair} ${name}: got ${got}, expected ${exp}`);
    // Hue angles: the published table lists h′2 = 7.0113 for pair 21 where atan2(0.5854, 4.7596) = 7.0118°,
    // and 11.6380 for pair 23 where atan2(0.5757, 2.7949) = 11.6391° (rounded inputs), so angles get 2e-3°.
    near('ap1', d.ap1, ap1); near('cp1', d.cp1, cp1); near('hp1', d.hp1, hp1, 2e-3);
    near('ap2', d.ap2, ap2); near('cp2', d.cp2, cp2); near('hp2', d.hp2, hp2, 2e-3);
    near('hbar', d.hbar, hbar, 2e-3); near('G', d.G, G); near('T', d.T, T);
    near('SL', d.SL, SL); near('SC', d.SC, SC); near('SH', d.SH, SH); near('RT', d.RT, RT);
    near('dE', d.dE, dE, 1e-4);
  }
});
