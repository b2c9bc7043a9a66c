/**
 * Provider (a), Photoshop Generative Fill: a pure builder of the batchPlay descriptor; the Photoshop host
 * (the panel's) runs it on the *inverse* of the jewelry selection, on an empty layer under the piece.
 *
 * Shape taken from mikechambers/adb-mcp uxp/ps/commands/core.js (generativeFill, MIT), summarised in
 * ../shared/specs/uxp-platform.md §4: `syntheticFill`, service "clio", serviceVersion "clio3", workflow
 * "in_painting". Undocumented by Adobe and versioned (clio2 → clio3): not yet recorded on a real Photoshop;
 * the golden fixture test/fixtures/generators/generative-fill.json pins it.
 */
export interface GenerativeFillParams {
  readonly documentID: number;
  /** The layer Generative Fill works on (an empty layer under the piece). */
  readonly layerID: number;
  /** "" lets Firefly fill from context. */
  readonly prompt: string;
}

export function buildGenerativeFillDescriptor({ documentID, layerID, prompt }: GenerativeFillParams): Record<string, unknown> {
  return {
    _obj: 'syntheticFill',
    _target: [{ _enum: 'ordinal', _ref: 'document', _value: 'targetEnum' }],
    documentID,
    layerID,
    prompt,
    serviceID: 'clio',
    serviceOptionsList: {
      clio: {
        _obj: 'clio',
        dualCrop: true,
        gi_ADVANCED: '{"enable_mts":true}',
        gi_CONTENT_PRESERVE: 0,
        gi_CROP: false,
        gi_DILATE: false,
        gi_ENABLE_PROMPT_FILTER: true,
        gi_GUIDANCE: 6,
        gi_MODE: 'tinp',
        gi_NUM_STEPS: -1,
        gi_PROMPT: prompt,
        gi_SEED: -1,
        gi_SIMILARITY: 0,
      },
    },
    serviceVersion: 'clio3',
    workflowType: { _enum: 'genWorkflow', _value: 'in_painting' },
    workflow_to_active_service_identifier_map: {
      gen_harmonize: 'clio3',
      generate_background: 'clio3',
      generate_similar: 'clio3',
      generativeUpscale: 'fal_aura_sr',
      in_painting: 'clio3',
      instruct_edit: 'clio3',
      out_painting: 'clio3',
      text_to_image: 'clio3',
    },
    _options: { dialogOptions: 'dontDisplay' },
  };
}
