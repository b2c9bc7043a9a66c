/**
 * Layer, group, mask and selection descriptors. Sources: ../shared/specs/uxp-platform.md §4 (layerSection,
 * blend/opacity, groupEvent, mask, selection channel), mikechambers/adb-mcp uxp/ps/commands/layers.js and
 * selection.js, Photoshop's own Copy As JavaScript output.
 */
import type { BlendMode } from '../../../recipe/recipe';
import { NO_DIALOG, TARGET_LAYER, percent, type Descriptor } from './descriptor';

/** Loupe's blend-mode names → Photoshop's `blendMode` enum values. */
export const PHOTOSHOP_BLEND_MODES: Readonly<Record<BlendMode, string>> = {
  normal: 'normal',
  multiply: 'multiply',
  screen: 'screen',
  overlay: 'overlay',
  'soft light': 'softLight',
  'linear light': 'linearLight',
  color: 'color',
  luminosity: 'luminosity',
};

/** An empty group above the active layer, pass through, named for the action. It becomes the active layer. */
export function makeGroup(name: string): Descriptor {
  return {
    _obj: 'make',
    _target: [{ _ref: 'layerSection' }],
    using: { _obj: 'layerSection', name, mode: { _enum: 'blendMode', _value: 'passThrough' }, opacity: percent(100) },
    _options: NO_DIALOG,
  };
}

/** An empty pixel layer above the active one (inside the active group when a group is active and empty). */
export function makePixelLayer(name: string): Descriptor {
  return { _obj: 'make', _target: [{ _ref: 'layer' }], using: { _obj: 'layer', name }, _options: NO_DIALOG };
}

/** Reads the id of the active layer (answer: `[{ layerID }]`). */
export function getActiveLayerId(): Descriptor {
  return { _obj: 'get', _target: [{ _property: 'layerID' }, TARGET_LAYER] };
}

/** Asks whether the active layer has a pixel (user) mask (answer: `[{ hasUserMask }]`). */
export function getActiveLayerHasUserMask(): Descriptor {
  return { _obj: 'get', _target: [{ _property: 'hasUserMask' }, TARGET_LAYER] };
}

/** Makes one layer, by id, the only selected (active) layer. */
export function selectLayerById(layerId: number): Descriptor {
  return { _obj: 'select', _target: [{ _ref: 'layer', _id: layerId }], makeVisible: false, _options: NO_DIALOG };
}

/** Blend mode and opacity of the active layer. */
export function setBlendAndOpacity(blendMode: BlendMode, opacity: number): Descriptor {
  const clamped = Math.round(Math.min(1, Math.max(0, opacity)) * 1000) / 10;
  return {
    _obj: 'set',
    _target: [TARGET_LAYER],
    to: { _obj: 'layer', mode: { _enum: 'blendMode', _value: PHOTOSHOP_BLEND_MODES[blendMode] }, opacity: percent(clamped) },
    _options: NO_DIALOG,
  };
}

/** Layer › Create Clipping Mask on the active layer (Photoshop calls it `groupEvent`). */
export function createClippingMask(): Descriptor {
  return { _obj: 'groupEvent', _target: [TARGET_LAYER], _options: NO_DIALOG };
}

/** Hides the active layer (the eye in the Layers panel). */
export function hideActiveLayer(): Descriptor {
  return { _obj: 'hide', null: [TARGET_LAYER], _options: NO_DIALOG };
}

/** Adds a white (reveal all) layer mask to the active layer; putLayerMask then fills it. */
export function addRevealAllMask(): Descriptor {
  return {
    _obj: 'make',
    new: { _class: 'channel' },
    at: { _ref: 'channel', _enum: 'channel', _value: 'mask' },
    using: { _enum: 'userMaskEnabled', _value: 'revealAll' },
    _options: NO_DIALOG,
  };
}

/** Select › Deselect. */
export function deselect(): Descriptor {
  return { _obj: 'set', _target: [{ _ref: 'channel', _property: 'selection' }], to: { _enum: 'ordinal', _value: 'none' }, _options: NO_DIALOG };
}

/** Select › Save Selection as a named alpha channel (what Select › Load Selection lists). */
export function saveSelectionAsChannel(name: string): Descriptor {
  return { _obj: 'duplicate', _target: [{ _ref: 'channel', _property: 'selection' }], name, _options: NO_DIALOG };
}

/** Select › Load Selection from the first alpha channel with this name (replaces the selection). */
export function loadChannelAsSelection(name: string): Descriptor {
  return { _obj: 'set', _target: [{ _ref: 'channel', _property: 'selection' }], to: { _ref: 'channel', _name: name }, _options: NO_DIALOG };
}

/** Deletes the first channel with this name (an alpha channel Loupe saved earlier; see writeRecipe). */
export function deleteChannelByName(name: string): Descriptor {
  return { _obj: 'delete', _target: [{ _ref: 'channel', _name: name }], _options: NO_DIALOG };
}
