/**
 * Does this host offer WebGPU? Only a real adapter counts: Chromium exposes navigator.gpu even where
 * requestAdapter() then gives null (no GPU, GPU disabled), and the UXP panel has no navigator.gpu at all.
 */

/** The part of the WebGPU API the probe reads (structural, so tests can hand in fakes). */
export interface GpuScope {
  readonly navigator?: {
    readonly gpu?: { requestAdapter(): Promise<{ readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly description?: string } } | null> };
  };
}

export type WebGpuProbe =
  | { readonly available: true; /** E.g. "google swiftshader". */ readonly adapter: string }
  | { readonly available: false; /** Why not, in words for the harness. */ readonly reason: string };

export async function probeWebGpu(scope: GpuScope = globalThis as GpuScope): Promise<WebGpuProbe> {
  const gpu = scope.navigator?.gpu;
  if (!gpu) return { available: false, reason: 'this host has no WebGPU (navigator.gpu)' };
  let adapter;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { available: false, reason: `WebGPU gave no adapter (${(error as Error).message})` };
  }
  if (!adapter) return { available: false, reason: 'WebGPU gave no adapter' };
  const { vendor, architecture, description } = adapter.info ?? {};
  const name = [vendor, architecture, description].filter((part) => part).join(' ');
  return { available: true, adapter: name || 'unnamed adapter' };
}
