/**
 * Prompt presets for common jewelry contexts, as data. Each describes only the scene around the piece:
 * the piece itself is never regenerated (it is kept from the photo), so prompts never describe it.
 */
export interface PromptPreset {
  readonly name: string;
  readonly label: string;
  readonly prompt: string;
}

const KEEP = 'soft diffused studio light, shallow depth of field, photorealistic product photography, no jewelry, no text';

export const PROMPT_PRESETS: readonly PromptPreset[] = [
  { name: 'marble', label: 'White marble', prompt: `polished white Carrara marble surface with faint grey veining, ${KEEP}` },
  { name: 'linen', label: 'Natural linen', prompt: `natural undyed linen fabric with gentle folds, warm neutral tone, ${KEEP}` },
  { name: 'velvet', label: 'Dark velvet', prompt: `deep navy velvet cloth with soft sheen, rich shadows, ${KEEP}` },
  { name: 'wrist-window', label: 'Wrist by a window', prompt: `a woman's wrist and hand resting near a bright window, soft daylight, natural skin texture, ${KEEP}` },
  { name: 'slate', label: 'Slate stone', prompt: `matte dark slate stone surface, subtle texture, ${KEEP}` },
  { name: 'sand', label: 'Beach sand', prompt: `fine pale beach sand, late afternoon sun, ${KEEP}` },
  { name: 'wood', label: 'Light oak', prompt: `light oak wood tabletop, fine grain, ${KEEP}` },
];

export function findPromptPreset(name: string): PromptPreset | undefined {
  return PROMPT_PRESETS.find((p) => p.name === name.toLowerCase());
}
