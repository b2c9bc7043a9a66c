/**
 * The network domains Loupe's manifest declares (requiredPermissions.network.domains, manifest v5). UXP
 * refuses any other address, so the Photoshop host checks a provider URL against this list first and
 * says which entry is missing rather than letting the request fail silently. test/build/dist.test.ts
 * asserts manifest.json declares exactly these.
 */
export const MANIFEST_NETWORK_DOMAINS: readonly string[] = [
  // A local ComfyUI on its default port; both spellings, since UXP matches the address as written.
  'http://127.0.0.1:8188',
  'http://localhost:8188',
  // OpenAI's image edit endpoint (the OpenAI-compatible provider's default).
  'https://api.openai.com',
];

/** The manifest entry a URL needs: its scheme, host and (non-default) port. */
export function manifestEntryFor(url: string): string {
  return new URL(url).origin;
}

/** A sentence saying what to add to the manifest, or null when the URL's domain is declared. */
export function missingDomainProblem(url: string, declared: readonly string[] = MANIFEST_NETWORK_DOMAINS): string | null {
  const entry = manifestEntryFor(url);
  if (declared.some((d) => manifestEntryFor(d) === entry)) return null;
  return `Photoshop only lets Loupe reach the addresses its manifest declares, and ${entry} is not one of them: `
    + `add "${entry}" to requiredPermissions.network.domains in Loupe's manifest.json and reload the plugin, or use ${declared.join(', ')}.`;
}
