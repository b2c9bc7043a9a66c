/**
 * Where the panel keeps provider API keys: given by its host — Photoshop's secure storage (encrypted by
 * the OS, src/hosts/photoshop/secureKeyStore.ts), or this page's memory in the browser harness. A key is
 * read only when a request is sent; it never enters options, recipes, layers, outcomes or logs.
 */
export interface KeyStore {
  /** In the retoucher's words, e.g. "Photoshop's secure storage". */
  readonly where: string;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  remove(name: string): Promise<void>;
}

/** Keys held in memory only, gone when the page closes (the browser harness). */
export function memoryKeyStore(where = 'memory only, until this page closes'): KeyStore {
  const keys = new Map<string, string>();
  return {
    where,
    get: async (name) => keys.get(name) ?? null,
    set: async (name, value) => void keys.set(name, value),
    remove: async (name) => void keys.delete(name),
  };
}
