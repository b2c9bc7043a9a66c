// npm links the bins of dependencies, never the project's own. Link ours too so that after
// `npm install` the CLI runs as `node_modules/.bin/loupe` (and `npx loupe`), as the README promises.
import { existsSync, mkdirSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const target = join(root, 'bin', 'loupe.js');
const link = join(binDir, 'loupe');
if (existsSync(join(root, 'node_modules'))) {
  mkdirSync(binDir, { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(relative(binDir, target), link);
  chmodSync(target, 0o755);
}
