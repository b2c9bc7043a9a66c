/**
 * Recipes with several named groups: stacking independent actions (Retouch metal, Sharpen, Contact shadow)
 * into one document, and reading the groups back out for hosts and the compositor.
 */
import type { Recipe, RecipeGroupSpan, RecipeLayer, SavedSelection } from './recipe';

export interface RecipeGroup {
  readonly name: string;
  readonly layers: readonly RecipeLayer[];
}

/** The recipe's groups bottom → top (one group named groupName unless `groups` says otherwise). */
export function recipeGroups(recipe: Recipe): RecipeGroup[] {
  if (!recipe.groups) return [{ name: recipe.groupName, layers: recipe.layers }];
  const total = recipe.groups.reduce((s, g) => s + g.layerCount, 0);
  if (total !== recipe.layers.length || recipe.groups.some((g) => !Number.isInteger(g.layerCount) || g.layerCount < 0)) {
    throw new Error(`the recipe's groups hold ${total} layers but it has ${recipe.layers.length}: the layer counts must add up`);
  }
  const out: RecipeGroup[] = [];
  let at = 0;
  for (const g of recipe.groups) {
    out.push({ name: g.name, layers: recipe.layers.slice(at, at + g.layerCount) });
    at += g.layerCount;
  }
  return out;
}

/** Indices in `layers` where a group other than the first begins (a clipped layer there is unclipped). */
export function groupStarts(recipe: Recipe): Set<number> {
  const starts = new Set<number>();
  if (!recipe.groups) return starts;
  let at = 0;
  for (const [i, g] of recipe.groups.entries()) {
    if (i > 0) starts.add(at);
    at += g.layerCount;
  }
  return starts;
}

/**
 * One recipe holding each given recipe as its own group, the first at the bottom. Recipes with no
 * layers are left out; saved selections are merged by name (the first one of a name wins).
 */
export function stackRecipes(recipes: readonly Recipe[]): Recipe {
  if (recipes.length === 0) throw new Error('stackRecipes needs at least one recipe');
  const { width, height } = recipes[0];
  for (const r of recipes) {
    if (r.width !== width || r.height !== height) {
      throw new Error(`recipe "${r.groupName}" is ${r.width}×${r.height} but "${recipes[0].groupName}" is ${width}×${height}: they must be the same size`);
    }
  }
  const groups = recipes.flatMap(recipeGroups).filter((g) => g.layers.length > 0);
  const selections = new Map<string, SavedSelection>();
  for (const r of recipes) for (const s of r.selections ?? []) if (!selections.has(s.name)) selections.set(s.name, s);
  const spans: RecipeGroupSpan[] = groups.map((g) => ({ name: g.name, layerCount: g.layers.length }));
  return {
    groupName: spans[0]?.name ?? recipes[0].groupName,
    width,
    height,
    layers: groups.flatMap((g) => g.layers),
    ...(selections.size > 0 ? { selections: [...selections.values()] } : {}),
    ...(spans.length > 1 ? { groups: spans } : {}),
  };
}
