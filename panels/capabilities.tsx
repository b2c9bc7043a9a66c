/**
 * The actions the panel offers, one entry each. An action is listed only when its engine exists: the
 * others (Contact shadow, Sharpen, Background) are absent rather than fake, and adding one
 * when its engine lands is one more entry here. An entry either writes layers (host.runAction) or checks
 * the document (host.runCheck).
 */
import type { ComponentType } from 'react';
import type { Host, Job, PanelOutcome } from './host';
import { FIDELITY_DEFAULTS, TIER_CHOICES, fidelityCheckRequest, type FidelityCheckOptions } from './actions/fidelityCheckAction';
import { maskJewelryRequest } from './actions/maskJewelryAction';
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
  run(host: Host, options: O, job: Job): Promise<PanelOutcome>;
}

const maskJewelry: Capability<Record<string, never>> = {
  id: 'mask-jewelry',
  title: 'Mask jewelry',
  what: "Finds the piece with Loupe's own model — chains, prongs, ring holes — saves it and its stones as channels and selects it.",
  defaults: {},
  run: async (host, _options, job) => ({ kind: 'written', written: await host.runAction(maskJewelryRequest(), job) }),
};

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
  run: async (host, options, job) => ({ kind: 'written', written: await host.runAction(retouchMetalRequest(options), job) }),
};

function FidelityOptionsView({ value, onChange, disabled }: OptionsProps<FidelityCheckOptions>) {
  return <Picker label="Judge for" value={value.tier} choices={TIER_CHOICES} onChange={(tier) => onChange({ tier })} disabled={disabled} testId="tier-picker" />;
}

const fidelityCheck: Capability<FidelityCheckOptions> = {
  id: 'fidelity-check',
  title: 'Fidelity check',
  what: 'Compares what the document shows now with the photo: structure, stones, colour, halos, spill. Writes nothing.',
  defaults: FIDELITY_DEFAULTS,
  Options: FidelityOptionsView,
  run: async (host, options, job) => ({ kind: 'checked', report: await host.runCheck(fidelityCheckRequest(options), job) }),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own options type; the list erases it.
export type AnyCapability = Capability<any>;

export const CAPABILITIES: readonly AnyCapability[] = [maskJewelry, retouchMetal, fidelityCheck];
