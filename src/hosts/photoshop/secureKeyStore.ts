/**
 * API keys in UXP's secure storage (uxp.storage.secureStorage: encrypted with the OS keychain, per plugin;
 * "Key-Value Storage / SecureStorage" reference). Values come back as a Uint8Array of the UTF-8 text.
 * A missing key rejects in UXP, so it reads as null here. Never logs a value.
 */
import type { KeyStore } from '../../../panels/keyStore';

export interface UxpSecureStorage {
  getItem(key: string): Promise<Uint8Array | ArrayBuffer | string | null | undefined>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/** Prefix so Loupe's entries stay apart from anything else in the plugin's storage. */
const PREFIX = 'loupe.key.';

export function secureKeyStore(storage: UxpSecureStorage): KeyStore {
  return {
    where: "Photoshop's secure storage",
    async get(name) {
      let value: Awaited<ReturnType<UxpSecureStorage['getItem']>>;
      try {
        value = await storage.getItem(PREFIX + name);
      } catch {
        return null;
      }
      if (value == null) return null;
      const text = typeof value === 'string' ? value : new TextDecoder().decode(value instanceof Uint8Array ? value : new Uint8Array(value));
      return text || null;
    },
    async set(name, value) {
      if (!value) return this.remove(name);
      await storage.setItem(PREFIX + name, value);
    },
    async remove(name) {
      try {
        await storage.removeItem(PREFIX + name);
      } catch {
        // Nothing stored under that name: already removed.
      }
    },
  };
}
