// Shared helpers for engine tests: locate and parse the vectors in shared/evaldata (beside the repo).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file in shared/evaldata/vectors (repo root/../shared). */
export function vectorPath(name: string): string {
  return fileURLToPath(new URL(`../../../shared/evaldata/vectors/${name}`, import.meta.url));
}

/** Read a TSV, skipping '#' comments; the first remaining line is the header. */
export function readTsv(name: string): Record<string, string>[] {
  const lines = readFileSync(vectorPath(name), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}
