/**
 * The panel's few controls, in two flavours: Spectrum UXP widgets (`sp-*`) inside Photoshop, plain HTML in
 * a browser. Components above this file never know which. Spectrum widgets get their state as attributes
 * and report through DOM events (`change`, `click`), so those are wired by hand through refs.
 */
import { createContext, useContext, useEffect, useRef, type CSSProperties, type ReactNode } from 'react';

export type UiFlavor = 'spectrum' | 'html';

export const UiFlavorContext = createContext<UiFlavor>('html');

function useFlavor(): UiFlavor {
  return useContext(UiFlavorContext);
}

/** Sets or removes a boolean attribute: Spectrum reads presence, not the value. */
function useBooleanAttribute(ref: React.RefObject<HTMLElement | null>, name: string, on: boolean): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (on) el.setAttribute(name, '');
    else el.removeAttribute(name);
  }, [ref, name, on]);
}

function useDomEvent(ref: React.RefObject<HTMLElement | null>, type: string, handler: (el: HTMLElement) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const listener = () => latest.current(el);
    el.addEventListener(type, listener);
    return () => el.removeEventListener(type, listener);
  }, [ref, type]);
}

export interface ButtonProps {
  readonly children: ReactNode;
  readonly onClick: () => void;
  readonly disabled?: boolean;
  /** "cta" for the action itself, "secondary" for Cancel. */
  readonly variant?: 'cta' | 'secondary';
  readonly testId?: string;
}

export function Button({ children, onClick, disabled = false, variant = 'cta', testId }: ButtonProps) {
  const flavor = useFlavor();
  const ref = useRef<HTMLElement>(null);
  useBooleanAttribute(ref, 'disabled', flavor === 'spectrum' && disabled);
  useDomEvent(ref, 'click', () => {
    if (flavor === 'spectrum' && !disabled) onClick();
  });
  if (flavor === 'spectrum') {
    return <sp-button ref={ref} variant={variant} data-testid={testId}>{children}</sp-button>;
  }
  return (
    <button type="button" className={`loupe-button loupe-${variant}`} disabled={disabled} onClick={onClick} data-testid={testId}>
      {children}
    </button>
  );
}

export interface PickerProps<V extends string> {
  readonly label: string;
  readonly value: V;
  readonly choices: readonly { readonly value: V; readonly label: string }[];
  readonly onChange: (value: V) => void;
  readonly disabled?: boolean;
  readonly testId?: string;
}

export function Picker<V extends string>({ label, value, choices, onChange, disabled = false, testId }: PickerProps<V>) {
  const flavor = useFlavor();
  const ref = useRef<HTMLElement>(null);
  useBooleanAttribute(ref, 'disabled', flavor === 'spectrum' && disabled);
  useDomEvent(ref, 'change', (el) => {
    if (flavor !== 'spectrum') return;
    const index = (el as HTMLElement & { selectedIndex?: number }).selectedIndex ?? -1;
    const choice = choices[index];
    if (choice) onChange(choice.value);
  });
  if (flavor === 'spectrum') {
    return (
      <sp-picker ref={ref} label={label} size="m" data-testid={testId} style={styles.fullWidth}>
        <sp-menu slot="options">
          {choices.map((c) => (
            <SpectrumMenuItem key={c.value} label={c.label} selected={c.value === value} />
          ))}
        </sp-menu>
      </sp-picker>
    );
  }
  return (
    <label style={styles.field}>
      <span style={styles.fieldLabel}>{label}</span>
      <select value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as V)} data-testid={testId} style={styles.fullWidth}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>{c.label}</option>
        ))}
      </select>
    </label>
  );
}

function SpectrumMenuItem({ label, selected }: { label: string; selected: boolean }) {
  const ref = useRef<HTMLElement>(null);
  useBooleanAttribute(ref, 'selected', selected);
  return <sp-menu-item ref={ref}>{label}</sp-menu-item>;
}

export interface CheckboxProps {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly disabled?: boolean;
  readonly testId?: string;
}

export function Checkbox({ label, checked, onChange, disabled = false, testId }: CheckboxProps) {
  const flavor = useFlavor();
  const ref = useRef<HTMLElement>(null);
  useBooleanAttribute(ref, 'checked', flavor === 'spectrum' && checked);
  useBooleanAttribute(ref, 'disabled', flavor === 'spectrum' && disabled);
  useDomEvent(ref, 'change', (el) => {
    if (flavor === 'spectrum') onChange(Boolean((el as HTMLElement & { checked?: boolean }).checked));
  });
  if (flavor === 'spectrum') return <sp-checkbox ref={ref} data-testid={testId}>{label}</sp-checkbox>;
  return (
    <label style={styles.field}>
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <span> {label}</span>
    </label>
  );
}

export interface TextFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** "password" hides what is typed (API keys). */
  readonly type?: 'text' | 'password';
  readonly placeholder?: string;
  readonly disabled?: boolean;
  readonly testId?: string;
}

export function TextField({ label, value, onChange, type = 'text', placeholder, disabled = false, testId }: TextFieldProps) {
  const flavor = useFlavor();
  const ref = useRef<HTMLElement>(null);
  useBooleanAttribute(ref, 'disabled', flavor === 'spectrum' && disabled);
  useDomEvent(ref, 'input', (el) => {
    if (flavor === 'spectrum') onChange(String((el as HTMLElement & { value?: unknown }).value ?? ''));
  });
  // Spectrum's textfield takes its value as a property; set it only when it differs, or typing would jump.
  useEffect(() => {
    const el = ref.current as (HTMLElement & { value?: string }) | null;
    if (flavor === 'spectrum' && el && el.value !== value) el.value = value;
  }, [flavor, value]);
  if (flavor === 'spectrum') {
    return (
      <div style={styles.field}>
        <sp-label>{label}</sp-label>
        <sp-textfield ref={ref} type={type} placeholder={placeholder} data-testid={testId} style={styles.fullWidth} />
      </div>
    );
  }
  return (
    <label style={styles.field}>
      <span style={styles.fieldLabel}>{label}</span>
      <input
        type={type} value={value} placeholder={placeholder} disabled={disabled} autoComplete="off" spellCheck={false}
        onChange={(e) => onChange(e.target.value)} data-testid={testId} style={styles.fullWidth}
      />
    </label>
  );
}

export function ProgressBar({ label, fraction }: { label: string; fraction: number }) {
  const flavor = useFlavor();
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  if (flavor === 'spectrum') {
    return <sp-progressbar max={100} value={percent} label={label} size="s" style={styles.fullWidth} data-testid="progress" />;
  }
  return (
    <div data-testid="progress">
      <div style={styles.fieldLabel}>{label}</div>
      <progress max={100} value={percent} style={styles.fullWidth} />
    </div>
  );
}

/** Plain text in the host's font: sp-body in UXP picks up the theme. */
export function Text({ children, secondary = false, testId }: { children: ReactNode; secondary?: boolean; testId?: string }) {
  const flavor = useFlavor();
  const style = secondary ? styles.secondary : undefined;
  if (flavor === 'spectrum') return <sp-body size="S" style={style} data-testid={testId}>{children}</sp-body>;
  return <div style={{ ...styles.body, ...style }} data-testid={testId}>{children}</div>;
}

export function Heading({ children }: { children: ReactNode }) {
  const flavor = useFlavor();
  if (flavor === 'spectrum') return <sp-heading size="XS">{children}</sp-heading>;
  return <div style={styles.heading}>{children}</div>;
}

// UXP's CSS subset: flex yes, `gap`/grid/nesting no; theme colours from UXP's host variables.
const styles: Record<string, CSSProperties> = {
  fullWidth: { width: '100%' },
  field: { display: 'block', marginTop: 6, marginBottom: 6 },
  fieldLabel: { display: 'block', marginBottom: 2, color: 'var(--uxp-host-text-color-secondary, #a0a0a0)' },
  body: { marginTop: 2, marginBottom: 2 },
  secondary: { color: 'var(--uxp-host-text-color-secondary, #a0a0a0)' },
  heading: { fontSize: 14, fontWeight: 'bold', marginTop: 4, marginBottom: 4 },
};
