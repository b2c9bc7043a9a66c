/**
 * Adjustment-layer descriptors for the four adjustments a recipe holds. Photoshop spells the green channel
 * "grain" in descriptors (its 4-char code 'Grn ' reads back as "grain"); Copy As JavaScript shows the same.
 * Sources: ../shared/specs/uxp-platform.md §4 (curves, hue/saturation, colour balance make+set),
 * mikechambers/adb-mcp uxp/ps/commands/adjustment_layers.js (colour balance), Photoshop ScriptListener
 * output for the Channel Mixer (`channelMatrix` per output channel).
 */
import type { Adjustment, ChannelMixerAdjustment, CurvePoint, CurvesAdjustment } from '../../../recipe/recipe';
import { NO_DIALOG, percent, type Descriptor, type DescriptorValue } from './descriptor';

const CUSTOM_PRESET = { _enum: 'presetKindType', _value: 'presetKindCustom' } as const;
const TARGET_ADJUSTMENT = { _ref: 'adjustmentLayer', _enum: 'ordinal', _value: 'targetEnum' } as const;

/**
 * The batchPlay steps that add one adjustment layer above the active layer, named `name`. Photoshop gives
 * a new adjustment layer a white mask when "Add Mask by Default" is on (its default); with an active
 * selection the mask would come from it, so the writer deselects first.
 */
export function makeAdjustmentLayer(name: string, adjustment: Adjustment): Descriptor[] {
  const make = (type: DescriptorValue): Descriptor => ({
    _obj: 'make',
    _target: [{ _ref: 'adjustmentLayer' }],
    using: { _obj: 'adjustmentLayer', name, type },
    _options: NO_DIALOG,
  });
  switch (adjustment.type) {
    case 'curves':
      return [make({ _obj: 'curves', presetKind: CUSTOM_PRESET, adjustment: curvesChannels(adjustment) })];
    case 'hue/saturation':
      return [make({
        _obj: 'hueSaturation',
        presetKind: CUSTOM_PRESET,
        colorize: false,
        adjustment: [{ _obj: 'hueSatAdjustmentV2', hue: adjustment.hue, saturation: adjustment.saturation, lightness: adjustment.lightness }],
      })];
    case 'color balance':
      // Made neutral, then set: the pattern adb-mcp uses, since `make` with levels is not documented.
      return [
        make({ _obj: 'colorBalance', shadowLevels: [0, 0, 0], midtoneLevels: [0, 0, 0], highlightLevels: [0, 0, 0], preserveLuminosity: adjustment.preserveLuminosity }),
        {
          _obj: 'set',
          _target: [TARGET_ADJUSTMENT],
          to: {
            _obj: 'colorBalance',
            shadowLevels: [...adjustment.shadows],
            midtoneLevels: [...adjustment.midtones],
            highlightLevels: [...adjustment.highlights],
            preserveLuminosity: adjustment.preserveLuminosity,
          },
          _options: NO_DIALOG,
        },
      ];
    case 'channel mixer':
      return [make(channelMixer(adjustment))];
  }
}

function curvesChannels(curves: CurvesAdjustment): DescriptorValue[] {
  const channels: [string, readonly CurvePoint[] | undefined][] = [
    ['composite', curves.rgb],
    ['red', curves.red],
    ['grain', curves.green],
    ['blue', curves.blue],
  ];
  return channels
    .filter((entry): entry is [string, readonly CurvePoint[]] => entry[1] !== undefined && entry[1].length >= 2)
    .map(([channel, points]) => ({
      _obj: 'curvesAdjustment',
      channel: { _ref: 'channel', _enum: 'channel', _value: channel },
      curve: points.map((p) => ({ _obj: 'paint', horizontal: clampCode(p.input), vertical: clampCode(p.output) })),
    }));
}

function channelMixer(mixer: ChannelMixerAdjustment): DescriptorValue {
  const matrix = ([red, green, blue, constant]: readonly [number, number, number, number]): DescriptorValue => ({
    _obj: 'channelMatrix',
    red: percent(red),
    grain: percent(green),
    blue: percent(blue),
    constant: percent(constant),
  });
  return { _obj: 'channelMixer', presetKind: CUSTOM_PRESET, monochromatic: false, red: matrix(mixer.red), grain: matrix(mixer.green), blue: matrix(mixer.blue) };
}

/** Curves points are integer code values 0..255 in Photoshop's dialog and descriptors. */
function clampCode(value: number): number {
  return Math.min(255, Math.max(0, Math.round(value)));
}
