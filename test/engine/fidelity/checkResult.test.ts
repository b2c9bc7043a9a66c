import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, skipped } from '../../../src/engine/fidelity/checkResult';

const base = { id: 'x', label: 'X' };

test('judge: pass, warn inside the warn band, fail past the threshold, fail on NaN', () => {
  const at = (figure: number) => judge({ ...base, figure, threshold: 0.93, warnAt: 0.97, comparison: '>=' }).verdict;
  assert.equal(at(0.99), 'pass');
  assert.equal(at(0.97), 'pass');
  assert.equal(at(0.95), 'warn');
  assert.equal(at(0.93), 'warn');
  assert.equal(at(0.92), 'fail');
  assert.equal(at(Number.NaN), 'fail');
  const le = (figure: number) => judge({ ...base, figure, threshold: 20, warnAt: 10, comparison: '<=' });
  assert.equal(le(5).verdict, 'pass');
  assert.equal(le(15).verdict, 'warn');
  assert.equal(le(15).pass, true);
  assert.equal(le(25).verdict, 'fail');
  assert.equal(le(25).pass, false);
});

test('skipped checks carry NaN, pass, and say why', () => {
  const s = skipped({ ...base, threshold: 0, comparison: '<=', detail: 'No stones mask given.' });
  assert.equal(s.verdict, 'skipped');
  assert.ok(Number.isNaN(s.figure));
  assert.equal(s.pass, true);
  assert.equal(s.detail, 'No stones mask given.');
});
