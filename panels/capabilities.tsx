/**
 * The actions the panel offers, one entry each. An action is listed only when its engine exists: adding
 * one when its engine lands is one more entry here. An entry either writes layers (host.runAction) or checks
 * the document (host.runCheck).
 */
import type { ComponentType } from 'react';
import type { BackgroundHost, Host, Job, PanelOutcome } from './host';
import type { KeyStore } from './keyStore';
import { CONTEXT_BACKGROUND_DEFAULTS, runContextBackground, type ContextBackgroundOptions } from './actions/contextBackgroundAction';
import { ContextBackgroundOptionsView } from './ContextBackgroundOptions';
import { FIDELITY_DEFAULTS, TIER_CHOICES, fidelityCheckRequest, type FidelityCheckOptions } from './actions/fidelityCheckAction';
import { CONTACT_SHADOW_DEFAULTS, LIGHT_CHOICES, contactShadowRequest, type ContactShadowActionOptions } from './actions/contactShadowAction';
import { maskJewelryRequest } from './actions/maskJewelryAction';
import { SHARPEN_DEFAULTS, STRENGTH_CHOICES, sharpenRequest, type SharpenActionOptions } from './actions/sharpenAction';
import { METAL_CHOICES, RETOUCH_METAL_DEFAULTS, retouchMetalRequest, type RetouchMetalOptions } from './actions/retouchMetalAction';
import { Checkbox, Picker } from './ui/widgets';

export interface OptionsProps<O> {
  readonly value: O;
  readonly onChange: (value: O) => void;
  readonly disabled: boolean;
  /** What the options may depend on: the host's kind (Generative Fill only in Photoshop), its key store and file picker. */
  readonly host: { readonly kind: Host['kind'] | null; readonly keys: KeyStore | null; readonly openTextFile?: BackgroundHost['openTextFile'] | null };
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
  what: "Finds the piece with Loupe's own model — chains, prongs, ring holes — saves it and its stones as channels and selects it. With a rough selection around one piece, looks only there.",
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

function ContactShadowOptionsView({ value, onChange, disabled }: OptionsProps<ContactShadowActionOptions>) {
  return (
    <>
      <Picker label="Light" value={value.light} choices={LIGHT_CHOICES} onChange={(light) => onChange({ ...value, light })} disabled={disabled} testId="light-picker" />
      <Checkbox
        label="Amazon main image (write it hidden)"
        checked={value.amazonMain}
        onChange={(amazonMain) => onChange({ ...value, amazonMain })}
        disabled={disabled}
        testId="amazon-main"
      />
    </>
  );
}

const contactShadow: Capability<ContactShadowActionOptions> = {
  id: 'contact-shadow',
  title: 'Contact shadow',
  what: 'Makes the piece sit on its surface: a contact line and a soft cast shadow, as Multiply layers that never touch the piece.',
  defaults: CONTACT_SHADOW_DEFAULTS,
  Options: ContactShadowOptionsView,
  run: async (host, options, job) => ({ kind: 'written', written: await host.runAction(contactShadowRequest(options), job) }),
};

function SharpenOptionsView({ value, onChange, disabled }: OptionsProps<SharpenActionOptions>) {
  return <Picker label="Strength" value={value.strength} choices={STRENGTH_CHOICES} onChange={(strength) => onChange({ strength })} disabled={disabled} testId="strength-picker" />;
}

const sharpen: Capability<SharpenActionOptions> = {
  id: 'sharpen',
  title: 'Sharpen',
  what: 'Crisps prongs, pavé and links with a High Pass layer masked to the piece, without halos; backdrop and skin untouched.',
  defaults: SHARPEN_DEFAULTS,
  Options: SharpenOptionsView,
  run: async (host, options, job) => ({ kind: 'written', written: await host.runAction(sharpenRequest(options), job) }),
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

const contextBackground: Capability<ContextBackgroundOptions> = {
  id: 'context-background',
  title: 'Context background',
  what: 'Puts a new scene behind the piece — studio, ComfyUI, OpenAI-compatible or Generative Fill; the piece stays your photo, pixel for pixel.',
  defaults: CONTEXT_BACKGROUND_DEFAULTS,
  Options: ContextBackgroundOptionsView,
  run: async (host, options, job) => ({ kind: 'written', written: await runContextBackground(host, options, job) }),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own options type; the list erases it.
export type AnyCapability = Capability<any>;

export const CAPABILITIES: readonly AnyCapability[] = [maskJewelry, retouchMetal, contactShadow, sharpen, contextBackground, fidelityCheck];
