/**
 * Recipes with several groups: stacking, compositing (same as applying each recipe in turn; clipping
 * stops at a group boundary) and the PSD writer's groups, read back by psd-tools.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMask, createRgba8, type Rgba8Image } from '../../src/engine/image';
import type { Recipe, RecipeLayer } from '../../src/recipe/recipe';
import { recipeGroups, stackRecipes } from '../../src/recipe/recipeGroups';
import { renderRecipe } from '../../src/recipe/compositor';
import { writeLayeredPsd } from '../../src/hosts/psd/writeLayeredPsd';
import { scratchDir } from '../scratchDir';

const W = 24, H = 16;

function noise(seed: number): Rgba8Image {
  const d = new Uint8Array(W * H * 4);
  let s = seed;
  for (let i = 0; i < d.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = i % 4 === 3 ? 255 : (s >>> 16) & 255;
  }
  return createRgba8(W, H, d);
}

const halfMask = createMask(W, H, Uint8Array.from({ length: W * H }, (_, i) => (i % W < W / 2 ? 255 : 0)));
const darken: RecipeLayer = { kind: 'adjustment', name: 'Darken', blendMode: 'normal', opacity: 1, mask: halfMask, adjustment: { type: 'curves', rgb: [{ input: 0, output: 0 }, { input: 255, output: 180 }] } };
const shade: RecipeLayer = { kind: 'pixel', name: 'Shade', blendMode: 'multiply', opacity: 0.5, image: noise(7) };
const a: Recipe = { groupName: 'Loupe · A', width: W, height: H, layers: [darken], selections: [{ name: 'Jewelry', mask: halfMask }] };
const b: Recipe = { groupName: 'Loupe · B', width: W, height: H, layers: [shade], selections: [{ name: 'Jewelry', mask: createMask(W, H) }] };

test('stackRecipes: one group per recipe, empty ones left out, selections merged by name', () => {
  const empty: Recipe = { groupName: 'Loupe · Empty', width: W, height: H, layers: [] };
  const s = stackRecipes([a, empty, b]);
  assert.equal(s.groupName, 'Loupe · A');
  assert.deepEqual(s.groups, [{ name: 'Loupe · A', layerCount: 1 }, { name: 'Loupe · B', layerCount: 1 }]);
  assert.deepEqual(recipeGroups(s).map((g) => [g.name, g.layers.map((l) => l.name)]), [['Loupe · A', ['Darken']], ['Loupe · B', ['Shade']]]);
  assert.equal(s.selections?.length, 1);
  assert.equal(s.selections?.[0].mask, halfMask, 'the first selection of a name wins');
  assert.equal(stackRecipes([a]).groups, undefined, 'a single group needs no spans');
  assert.throws(() => recipeGroups({ ...s, groups: [{ name: 'x', layerCount: 5 }] }), /add up/);
  assert.throws(() => stackRecipes([a, { ...b, width: W + 1 }]), /same size/);
});

test('a stacked recipe composites like its recipes applied one after the other', () => {
  const src = noise(3);
  const stacked = renderRecipe(src, stackRecipes([a, b]));
  const inTurn = renderRecipe(renderRecipe(src, a), b);
  assert.ok(Buffer.from(stacked.data).equals(Buffer.from(inTurn.data)));
});

test('clipping stops at a group boundary: a group\'s bottom layer is not clipped to the group below', () => {
  const src = noise(5);
  const clippedShade: RecipeLayer = { ...shade, clipping: true };
  const stacked = stackRecipes([a, { ...b, layers: [clippedShade] }]);
  const unclipped = renderRecipe(src, stackRecipes([a, b]));
  assert.ok(Buffer.from(renderRecipe(src, stacked).data).equals(Buffer.from(unclipped.data)));
  // Without the boundary the same layers would clip (Shade limited to the Darken mask): a different result.
  const oneGroup = renderRecipe(src, { ...stacked, groups: undefined });
  assert.ok(!Buffer.from(oneGroup.data).equals(Buffer.from(unclipped.data)));
});

test('the PSD holds one pass-through group per recipe group, read back by psd-tools', (t) => {
  if (spawnSync('/usr/bin/python3', ['-c', 'import psd_tools']).status !== 0) {
    if (process.env.LOUPE_SKIP_READERS === '1') return t.skip('psd-tools missing');
    assert.fail('psd-tools missing: apt-get install -y python3-psd-tools');
  }
  const src = noise(9);
  const recipe = stackRecipes([a, b]);
  const path = join(scratchDir('loupe-groups-'), 'groups.psd');
  writeFileSync(path, writeLayeredPsd({ source: src, recipe, composite: renderRecipe(src, recipe) }));
  const r = spawnSync('/usr/bin/python3', [new URL('../readers/inspect_psd.py', import.meta.url).pathname, path], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(
    doc.layers.map((l: { name: string; kind: string; blend: string; children?: { name: string; blend: string }[] }) => [l.name, l.kind, l.blend, l.children?.map((c) => [c.name, c.blend])]),
    [
      ['Background', 'pixel', 'NORMAL', undefined],
      ['Loupe · A', 'group', 'PASS_THROUGH', [['Darken', 'NORMAL']]],
      ['Loupe · B', 'group', 'PASS_THROUGH', [['Shade', 'MULTIPLY']]],
    ],
  );
  assert.deepEqual(doc.alpha_names, ['Jewelry']);
});
