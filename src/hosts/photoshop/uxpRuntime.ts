/**
 * Where the panel entry reaches UXP's `uxp` module (only src/hosts/photoshop requires host modules). `uxp` is a
 * webpack external (`require("uxp")` at runtime); in a plain browser `require` does not exist, so loading it throws and we report "no host".
 *
 * Minimal local typings on purpose: @adobe/cc-ext-uxp-types also declares `fs`/`os` modules that clash with
 * @types/node, so it is not pulled into the shared TypeScript program.
 */

/** What UXP passes to panel lifecycle callbacks: the root node (manifest v4 style) or an event with `node`. */
export type PanelHookArg = HTMLElement | { node?: HTMLElement } | undefined;

export interface PanelHooks {
  create?(arg?: PanelHookArg): void | Promise<void>;
  show?(arg?: PanelHookArg, data?: unknown): void | Promise<void>;
  hide?(arg?: PanelHookArg, data?: unknown): void | Promise<void>;
  destroy?(arg?: PanelHookArg): void | Promise<void>;
}

export interface UxpModule {
  entrypoints: { setup(config: { panels?: Record<string, PanelHooks> }): void };
  host?: { name?: string; version?: string };
}

/** The UXP module when running inside a UXP host, otherwise null (browser preview, tests). */
export function loadUxp(): UxpModule | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- must stay a runtime require: webpack maps it to the UXP external.
    const uxp = require('uxp') as UxpModule | undefined;
    return uxp && typeof uxp.entrypoints?.setup === 'function' ? uxp : null;
  } catch {
    return null;
  }
}

/** Resolves the DOM node a lifecycle callback was given, whichever calling convention the host uses. */
export function hookNode(arg: PanelHookArg): HTMLElement | null {
  if (!arg) return null;
  if (typeof (arg as HTMLElement).appendChild === 'function') return arg as HTMLElement;
  return (arg as { node?: HTMLElement }).node ?? null;
}
