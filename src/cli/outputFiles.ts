/**
 * Every command that writes files goes through here, so a refused run leaves nothing behind: outputs are
 * checked against every input first (the photo, and the masks it was given), and folders are only made
 * once all checks have passed, just before the first write. Folders are made from resolved paths, so an
 * `--out a/new/..` makes no stray `new` folder.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Throws (nothing touched) when an output would overwrite an input. Returns `makeFolders`, to call right
 * before writing: it creates the outputs' missing folders.
 */
export function planOutputs(
  outputs: readonly (string | undefined)[],
  inputs: readonly (string | undefined)[],
  advice: string,
  refusal: (message: string) => Error = (message) => new Error(message),
): { makeFolders(): void } {
  const given = outputs.filter((p): p is string => !!p);
  const taken = new Set(inputs.filter((p): p is string => !!p).map((p) => resolve(p)));
  for (const out of given) {
    if (taken.has(resolve(out))) throw refusal(`the output ${out} would overwrite an input: ${advice}`);
  }
  return {
    makeFolders() {
      for (const folder of new Set(given.map((p) => dirname(resolve(p))))) mkdirSync(folder, { recursive: true });
    },
  };
}
