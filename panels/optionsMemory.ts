/**
 * The panel remembers each action's options between sessions (the metal, the strengths, the provider, its
 * URL and workflow…), as a retoucher expects of a tool they use all day. Stored as JSON in the host's
 * localStorage (UXP has one per plugin). API keys are never options (keyStore.ts), so they never land here.
 * What comes back is trusted only field by field: a field the defaults do not have, or of another type, is
 * dropped for its default — so a stored value from an older version can never break the panel.
 */
import type { AnyCapability } from './capabilities';

export interface OptionsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const OPTIONS_KEY = 'loupe.options.v1';

export function rememberedOptions(storage: OptionsStorage | null, capabilities: readonly AnyCapability[]): Record<string, unknown> {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(OPTIONS_KEY) ?? '{}');
    if (isRecord(parsed)) stored = parsed;
  } catch {
    // Unreadable: start from the defaults.
  }
  return Object.fromEntries(capabilities.map((c) => [c.id, merged(c.defaults, stored[c.id])]));
}

export function rememberOptions(storage: OptionsStorage | null, options: Readonly<Record<string, unknown>>): void {
  try {
    storage?.setItem(OPTIONS_KEY, JSON.stringify(options));
  } catch {
    // Storage full or refused: the panel works on; it only forgets.
  }
}

function merged(defaults: unknown, stored: unknown): unknown {
  if (!isRecord(defaults) || !isRecord(stored)) return defaults;
  const out: Record<string, unknown> = { ...defaults };
  for (const [field, fallback] of Object.entries(defaults)) {
    const value = stored[field];
    if (value === undefined) continue;
    const sameKind = fallback === null ? value === null || isRecord(value) : typeof value === typeof fallback && Array.isArray(value) === Array.isArray(fallback);
    if (sameKind) out[field] = value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
