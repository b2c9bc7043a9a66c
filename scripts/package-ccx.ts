/**
 * `npm run package`: zips the built plugin (dist/, from `npm run build`) into a .ccx — the format Creative
 * Cloud installs with a double-click and UXP Developer Tool's "Package" writes: a zip of the plugin folder
 * with manifest.json at its root. Checks first that dist/ is a complete build.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');

interface Manifest {
  id: string;
  version: string;
  main: string;
  host: { app: string } | { app: string }[];
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(dir, entry)).isFile())
    .map((entry) => entry.split(sep).join('/'))
    .sort();
}

/** The .ccx bytes for a built plugin folder, after checking it is one. */
export function packageCcx(distDir: string): { bytes: Uint8Array; fileName: string; files: string[] } {
  const manifestPath = join(distDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${relative(root, distDir) || distDir} has no manifest.json: run npm run build first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  if (!existsSync(join(distDir, manifest.main))) throw new Error(`the manifest's main file ${manifest.main} is missing from the build: run npm run build again`);
  if (!existsSync(join(distDir, 'index.js'))) throw new Error('index.js is missing from the build: run npm run build again');
  const files = listFiles(distDir);
  const entries: Zippable = {};
  for (const file of files) entries[file] = readFileSync(join(distDir, file));
  const hosts = Array.isArray(manifest.host) ? manifest.host : [manifest.host];
  return { bytes: zipSync(entries, { level: 9 }), fileName: `${manifest.id}_${hosts.map((h) => h.app).join('-')}.ccx`, files };
}

function main(): void {
  const { bytes, fileName, files } = packageCcx(join(root, 'dist'));
  const out = join(root, 'ccx', fileName);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`${relative(root, out)}: ${files.length} files, ${(bytes.length / 1024).toFixed(0)} KiB. Install: double-click it (Creative Cloud), or load dist/manifest.json in UXP Developer Tool.`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
