/** Provider (d): an offline studio backdrop, for when no generator is configured. No network. */
import { renderStudioBackdrop, type StudioBackdropKind } from '../../engine/background/studioBackdrops';
import type { BackgroundGenerator, GenerateRequest } from './generator';
import { throwIfCancelled } from './http';
import type { Rgba8Image } from '../../engine/image';

export function studioGenerator(kind: StudioBackdropKind = 'marketplace-white'): BackgroundGenerator {
  return {
    label: `studio backdrop (${kind})`,
    offline: true,
    async generate(request: GenerateRequest): Promise<Rgba8Image> {
      throwIfCancelled(request.signal);
      const out = renderStudioBackdrop(kind, request.image.width, request.image.height);
      request.onProgress?.(1, 'Studio backdrop ready');
      return out;
    },
  };
}
