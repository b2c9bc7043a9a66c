/**
 * The Loupe panel, first cut: it says which actions exist and where they run today. There are no action
 * buttons yet on purpose: the Photoshop side of each action arrives with the panel work, and a button that
 * did nothing would mislead.
 *
 * Plain elements and inline styles only, kept inside UXP's CSS subset (no `gap`, no grid, no nesting),
 * coloured from UXP's host theme variables with fallbacks for a browser preview.
 */
import type { CSSProperties } from 'react';

export type ActionStatus = 'cli' | 'planned';

export interface LoupeAction {
  readonly title: string;
  readonly what: string;
  readonly status: ActionStatus;
  /** Command line that runs it today, when status is 'cli'. */
  readonly command?: string;
}

export const ACTIONS: readonly LoupeAction[] = [
  {
    title: 'Retouch metal',
    what: 'Removes colour casts from gold, platinum and silver; writes a layered PSD with masked adjustment layers.',
    status: 'cli',
    command: 'loupe retouch <photo> --mask <mask.png>',
  },
  { title: 'Jewelry mask', what: 'Selects the piece, including prongs, chains and ring holes.', status: 'planned' },
  { title: 'Hotspots', what: 'Tames blown highlights on polished metal while keeping catchlights.', status: 'planned' },
  { title: 'Contact shadow', what: 'Adds a soft shadow where the piece touches the surface.', status: 'planned' },
  { title: 'Targeted sharpen', what: 'Sharpens metal edges and stone facets only.', status: 'planned' },
  { title: 'Fidelity check', what: 'Compares the result with the original: colour drift, detail, stone count.', status: 'planned' },
];

const text = 'var(--uxp-host-text-color, #d8d8d8)';
const secondary = 'var(--uxp-host-text-color-secondary, #a0a0a0)';
const border = 'var(--uxp-host-border-color, #555555)';
const fontSize = 'var(--uxp-host-font-size, 12px)';

const styles: Record<string, CSSProperties> = {
  panel: { padding: 12, color: text, fontSize, fontFamily: 'sans-serif' },
  title: { fontSize: 18, fontWeight: 'bold', marginBottom: 2 },
  subtitle: { color: secondary, marginBottom: 12 },
  notice: { borderWidth: 1, borderStyle: 'solid', borderColor: border, borderRadius: 4, padding: 8, marginBottom: 12 },
  action: { paddingTop: 8, paddingBottom: 8, borderBottomWidth: 1, borderBottomStyle: 'solid', borderBottomColor: border },
  actionTitle: { fontWeight: 'bold', marginBottom: 2 },
  line: { color: secondary, marginTop: 2 },
  code: { fontFamily: 'monospace' },
  footer: { color: secondary, marginTop: 12 },
};

function ActionRow({ action }: { action: LoupeAction }) {
  return (
    <div style={styles.action}>
      <div style={styles.actionTitle}>{action.title}</div>
      <div>{action.what}</div>
      {action.status === 'cli' ? (
        <>
          <div style={styles.line}>
            Command line: available today (<span style={styles.code}>{action.command}</span>)
          </div>
          <div style={styles.line}>In Photoshop: coming with the panel</div>
        </>
      ) : (
        <div style={styles.line}>Planned: not available yet</div>
      )}
    </div>
  );
}

export interface LoupePanelProps {
  /** Host description when running inside UXP (e.g. "Photoshop 26.0.0"); null in a browser preview. */
  readonly host: string | null;
}

export function LoupePanel({ host }: LoupePanelProps) {
  return (
    <div style={styles.panel}>
      <div style={styles.title}>Loupe</div>
      <div style={styles.subtitle}>Jewelry retouching, non-destructive</div>
      <div style={styles.notice}>
        The Photoshop actions arrive with the panel work. Until then this panel only lists them; nothing here
        changes your document.
      </div>
      {ACTIONS.map((action) => (
        <ActionRow key={action.title} action={action} />
      ))}
      <div style={styles.footer}>{host ? `Running in ${host}` : 'Preview outside Photoshop'}</div>
    </div>
  );
}
