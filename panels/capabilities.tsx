/**
 * The actions the panel offers, one entry each. An action is listed only when its engine exists: the
 * others (Mask jewelry, Contact shadow, Sharpen, Background, Fidelity) are absent rather than fake, and
 * adding one when its engine lands is one more entry here.
 */
import type { ComponentType } from 'react';
import type { ActionRequest } from './host';
import { METAL_CHOICES, RETOUCH_METAL_DEFAULTS, retouchMetalRequest, type RetouchMetalOptions } from './actions/retouchMetalAction';
import { Checkbox, Picker } from './ui/widgets';

export interface OptionsProps<O> {
  readonly value: O;
  readonly onChange: (value: O) => void;
  readonly disabled: boolean;
}

export interface Capability<O> {
  readonly id: string;
  readonly title: string;
  /** One line on what it does, for the panel. */
  readonly what: string;
  readonly defaults: O;
  readonly Options?: ComponentType<OptionsProps<O>>;
  request(options: O): ActionRequest;
}

function RetouchMetalOptionsView({ value, onChange, disabled }: OptionsProps<RetouchMetalOptions>) {
  return (
    <>
      <Picker
        label="Metal"
        value={value.metal}
        choices={METAL_CHOICES}
        onChange={(metal) => onChange({ ...value, metal })}
        disabled={disabled}
        testId="metal-picker"
      />
      <Checkbox
        label="Leave stones untouched"
        checked={value.leaveStonesUntouched}
        onChange={(leaveStonesUntouched) => onChange({ ...value, leaveStonesUntouched })}
        disabled={disabled}
        testId="leave-stones"
      />
    </>
  );
}

const retouchMetal: Capability<RetouchMetalOptions> = {
  id: 'retouch-metal',
  title: 'Retouch metal',
  what: 'Sets the metal to its true colour and rolls off blown hotspots, as masked Curves layers in a group.',
  defaults: RETOUCH_METAL_DEFAULTS,
  Options: RetouchMetalOptionsView,
  request: retouchMetalRequest,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own options type; the list erases it.
export type AnyCapability = Capability<any>;

export const CAPABILITIES: readonly AnyCapability[] = [retouchMetal];
