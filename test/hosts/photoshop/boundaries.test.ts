/**
 * House rules the Photoshop side depends on: only src/hosts/photoshop reaches UXP's host modules, and the
 * batchPlay builders are pure (they import nothing but types and each other), so their fixtures mean
 * something outside Photoshop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const HOST_MODULE = /(?:require\(\s*|from\s+|import\(\s*)['"](photoshop|uxp)['"]/;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

test('only src/hosts/photoshop requires `photoshop` or `uxp`', () => {
  const offenders = [...sources('src'), ...sources('panels')]
    .filter((file) => !file.startsWith(join('src', 'hosts', 'photoshop')))
    .filter((file) => HOST_MODULE.test(readFileSync(join(root, file), 'utf8')));
  assert.deepEqual(offenders, []);
  const inHost = sources(join('src', 'hosts', 'photoshop')).filter((file) => HOST_MODULE.test(readFileSync(join(root, file), 'utf8')));
  assert.deepEqual(inHost.map((f) => relative(join('src', 'hosts', 'photoshop'), f)).sort(), ['loadPhotoshopModules.ts', 'uxpRuntime.ts']);
});

test('descriptor builders import only recipe types and each other', () => {
  for (const file of sources(join('src', 'hosts', 'photoshop', 'descriptors'))) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const [, spec] of text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)) {
      assert.ok(spec.startsWith('./') || spec === '../../../recipe/recipe', `${file} imports ${spec}`);
    }
    for (const [, spec] of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.\.\/[^']+)'/gms)) {
      assert.fail(`${file} imports code (not types) from ${spec}`);
    }
  }
});
