/**
 * The Context background options: provider, its settings, the scene (preset plus own words). The API key
 * field writes straight to the host's KeyStore and forgets what was typed: the key never enters the panel's
 * state, so it cannot reach options, recipes or outcomes; the panel only knows whether one is saved.
 */
import { useEffect, useState } from 'react';
import type { OptionsProps } from './capabilities';
import type { KeyStore } from './keyStore';
import type { BackgroundHost } from './host';
import {
  OPENAI_KEY_NAME, PRESET_CHOICES, STUDIO_CHOICES, providerChoices, workflowFileProblem, type ComfyWorkflowFile, type ContextBackgroundOptions,
} from './actions/contextBackgroundAction';
import { Button, Picker, Text, TextField } from './ui/widgets';

export function ContextBackgroundOptionsView({ value, onChange, disabled, host }: OptionsProps<ContextBackgroundOptions>) {
  const set = (patch: Partial<ContextBackgroundOptions>) => onChange({ ...value, ...patch });
  const choices = providerChoices(host.kind);
  // A provider this host does not offer (Generative Fill outside Photoshop) falls back to the default.
  const provider = choices.some((c) => c.value === value.provider) ? value.provider : 'studio';
  return (
    <>
      <Picker label="Background from" value={provider} choices={choices} onChange={(p) => set({ provider: p })} disabled={disabled} testId="background-provider" />
      {provider === 'studio' && (
        <Picker label="Backdrop" value={value.studio} choices={STUDIO_CHOICES} onChange={(studio) => set({ studio })} disabled={disabled} testId="studio-picker" />
      )}
      {provider === 'comfyui' && (
        <>
          <TextField label="ComfyUI server URL" value={value.comfyuiUrl} onChange={(comfyuiUrl) => set({ comfyuiUrl })} disabled={disabled} testId="comfyui-url" />
          <WorkflowField value={value.comfyuiWorkflow} onChange={(comfyuiWorkflow) => set({ comfyuiWorkflow })} open={host.openTextFile ?? undefined} disabled={disabled} />
        </>
      )}
      {provider === 'openai' && (
        <>
          <TextField label="Base URL" value={value.openaiUrl} onChange={(openaiUrl) => set({ openaiUrl })} disabled={disabled} testId="openai-url" />
          <TextField label="Model" value={value.openaiModel} onChange={(openaiModel) => set({ openaiModel })} disabled={disabled} testId="openai-model" />
          <ApiKeyField keys={host.keys} name={OPENAI_KEY_NAME} disabled={disabled} />
        </>
      )}
      {provider !== 'studio' && (
        <>
          <Picker label="Scene" value={value.preset} choices={PRESET_CHOICES} onChange={(preset) => set({ preset })} disabled={disabled} testId="scene-preset" />
          <TextField
            label="Scene in your words (optional)" value={value.prompt} onChange={(prompt) => set({ prompt })} disabled={disabled}
            placeholder="e.g. white linen, soft window light" testId="scene-prompt"
          />
        </>
      )}
    </>
  );
}

/** Loupe's default workflow, or the retoucher's own (Workflow › Export (API) in ComfyUI), checked on load. */
function WorkflowField({ value, onChange, open, disabled }: {
  value: ComfyWorkflowFile | null;
  onChange: (workflow: ComfyWorkflowFile | null) => void;
  open: BackgroundHost['openTextFile'];
  disabled: boolean;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const load = async () => {
    if (!open) return;
    try {
      const file = await open(['json']);
      if (!file) return;
      const wrong = workflowFileProblem(file.name, file.text);
      setProblem(wrong);
      if (!wrong) onChange({ name: file.name, json: file.text });
    } catch {
      setProblem('The file could not be read: choose it again.');
    }
  };
  return (
    <>
      <Text secondary testId="comfyui-workflow">
        {value ? `Workflow: ${value.name} (yours: {{image}}, {{mask}} and {{prompt}} filled in)` : "Workflow: Loupe's default (SDXL inpainting)"}
      </Text>
      <div style={{ display: 'flex', flexDirection: 'row' }}>
        {open && <Button variant="secondary" onClick={() => void load()} disabled={disabled} testId="load-workflow">Load workflow…</Button>}
        {value && <Button variant="secondary" onClick={() => { setProblem(null); onChange(null); }} disabled={disabled} testId="default-workflow">Use Loupe's default</Button>}
      </div>
      {problem && <Text testId="workflow-problem">{problem}</Text>}
    </>
  );
}

function ApiKeyField({ keys, name, disabled }: { keys: KeyStore | null; name: string; disabled: boolean }) {
  const [draft, setDraft] = useState('');
  const [saved, setSaved] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    keys?.get(name).then((key) => live && setSaved(key !== null), () => live && setSaved(false));
    return () => { live = false; };
  }, [keys, name]);
  if (!keys) return <Text secondary>This host keeps no API keys.</Text>;
  const save = async (value: string | null) => {
    try {
      if (value) await keys.set(name, value);
      else await keys.remove(name);
      setSaved(Boolean(value));
      setDraft('');
      setProblem(null);
    } catch {
      setProblem('The key could not be saved: try again, and if it persists, restart Photoshop.');
    }
  };
  return (
    <>
      <TextField label="API key" type="password" value={draft} onChange={setDraft} disabled={disabled} placeholder={saved ? 'saved (type to replace)' : ''} testId="api-key" />
      <div style={{ display: 'flex', flexDirection: 'row' }}>
        <Button variant="secondary" onClick={() => void save(draft.trim())} disabled={disabled || !draft.trim()} testId="save-api-key">Save key</Button>
        {saved && <Button variant="secondary" onClick={() => void save(null)} disabled={disabled} testId="forget-api-key">Forget key</Button>}
      </div>
      <Text secondary testId="api-key-status">{saved ? `Key saved (${keys.where})` : `No key saved; it is kept in ${keys.where}`}</Text>
      {problem && <Text testId="api-key-problem">{problem}</Text>}
    </>
  );
}
