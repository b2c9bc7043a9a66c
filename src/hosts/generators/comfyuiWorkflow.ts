/**
 * The default ComfyUI inpainting workflow, in ComfyUI's API format ("Save (API Format)": node id →
 * { class_type, inputs }, links as [nodeId, outputIndex]). Studios replace it with their own (--workflow):
 * Loupe only substitutes string values holding the placeholders below.
 *   {{image}}  the uploaded photo (LoadImage)
 *   {{mask}}   the uploaded mask, white = context to generate, black = the piece (LoadImageMask, red)
 *   {{prompt}} the scene description (CLIPTextEncode text; may sit inside a longer string)
 */
export const IMAGE_PLACEHOLDER = '{{image}}';
export const MASK_PLACEHOLDER = '{{mask}}';
export const PROMPT_PLACEHOLDER = '{{prompt}}';

export type ComfyWorkflow = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

export const DEFAULT_COMFYUI_WORKFLOW: ComfyWorkflow = {
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd_xl_base_1.0_inpainting_0.1.safetensors' } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: PROMPT_PLACEHOLDER, clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'jewelry, ring, necklace, text, watermark, blurry, deformed', clip: ['4', 1] } },
  '11': { class_type: 'LoadImage', inputs: { image: IMAGE_PLACEHOLDER } },
  '12': { class_type: 'LoadImageMask', inputs: { image: MASK_PLACEHOLDER, channel: 'red' } },
  '10': { class_type: 'VAEEncodeForInpaint', inputs: { pixels: ['11', 0], vae: ['4', 2], mask: ['12', 0], grow_mask_by: 8 } },
  '3': {
    class_type: 'KSampler',
    inputs: { seed: 1, steps: 30, cfg: 7, sampler_name: 'dpmpp_2m', scheduler: 'karras', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['10', 0] },
  },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'loupe-context', images: ['8', 0] } },
};

/** Deep copy of the workflow with the placeholders replaced; refuses a workflow that lacks {{image}}. */
export function fillWorkflow(workflow: unknown, values: { image: string; mask: string; prompt: string }): ComfyWorkflow {
  if (typeof workflow !== 'object' || workflow === null || Array.isArray(workflow)) {
    throw new Error('the ComfyUI workflow must be a JSON object in API format (ComfyUI: Workflow › Export (API))');
  }
  let sawImage = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.includes(IMAGE_PLACEHOLDER)) sawImage = true;
      return v.split(IMAGE_PLACEHOLDER).join(values.image).split(MASK_PLACEHOLDER).join(values.mask).split(PROMPT_PLACEHOLDER).join(values.prompt);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const filled = walk(workflow) as ComfyWorkflow;
  if (!sawImage) throw new Error(`the ComfyUI workflow has no "${IMAGE_PLACEHOLDER}": put it as the image of its LoadImage node`);
  return filled;
}
