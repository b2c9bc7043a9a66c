/**
 * The only place Loupe requires UXP's host modules. `photoshop` and `uxp` are webpack externals, resolved
 * by UXP's require() at run time; tests never load this file — they hand the host a recording stub.
 */
import type { PhotoshopModule } from './photoshopApi';
import type { UxpSecureStorage } from './secureKeyStore';
import type { UxpLocalFileSystem } from './textFilePicker';

export function loadPhotoshopModule(): PhotoshopModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- must stay a runtime require: webpack maps it to the UXP external.
  return require('photoshop') as PhotoshopModule;
}

/** UXP's `fs`: readFile of a `plugin:/` path answers an ArrayBuffer (no encoding given). */
export interface UxpFs {
  readFile(path: string, options?: unknown): Promise<ArrayBuffer | string>;
}

export function loadUxpFs(): UxpFs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- must stay a runtime require: webpack maps it to the UXP external.
  return require('fs') as UxpFs;
}

/** UXP's secure storage (uxp.storage.secureStorage), where the panel keeps provider API keys. */
export function loadSecureStorage(): UxpSecureStorage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- must stay a runtime require: webpack maps it to the UXP external.
  return (require('uxp') as { storage: { secureStorage: UxpSecureStorage } }).storage.secureStorage;
}

/** UXP's local file system (uxp.storage.localFileSystem), for the open-file dialog. */
export function loadLocalFileSystem(): UxpLocalFileSystem {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- must stay a runtime require: webpack maps it to the UXP external.
  return (require('uxp') as { storage: { localFileSystem: UxpLocalFileSystem } }).storage.localFileSystem;
}
