/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Flags per the machine notes:
 * headless, no sandbox (root in CI), no GPU unless asked for software WebGPU, and no background networking
 * (the machine has no network).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (.ci/run does) or set CHROMIUM_PATH`;
}

/**
 * WebGPU on SwiftShader, Chromium's software Vulkan: an adapter (vendor "google", architecture
 * "swiftshader") on a machine without a GPU, so the WebGPU route runs for real, on the CPU.
 */
export const SOFTWARE_WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader'];

/** Without options: no GPU at all (WebGPU gives no adapter); `webgpu: 'software'`: SOFTWARE_WEBGPU_FLAGS. */
export async function launchChromium(options: { webgpu?: 'software' } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  // A fresh profile each run, so nothing from a previous run leaks in.
  const userDataDir = mkdtempSync(join(tmpdir(), 'loupe-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless', '--no-sandbox', ...(options.webgpu ? SOFTWARE_WEBGPU_FLAGS : ['--disable-gpu']), '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
