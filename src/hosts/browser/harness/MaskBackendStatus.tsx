/**
 * One line under the panel: which backend Loupe's mask model runs on in this browser, why, and how long
 * the last action's inferences took (read by the end-to-end tests through its data attributes).
 */
import { useSyncExternalStore } from 'react';
import type { MaskModelReport } from '../maskModelReport';

export interface MaskReportStore {
  set(report: MaskModelReport): void;
  subscribe(listener: () => void): () => void;
  get(): MaskModelReport | null;
}

export function createMaskReportStore(): MaskReportStore {
  let current: MaskModelReport | null = null;
  const listeners = new Set<() => void>();
  return {
    set(report) {
      current = report;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: () => current,
  };
}

export function MaskBackendStatus({ store }: { store: MaskReportStore }) {
  const report = useSyncExternalStore(store.subscribe, store.get);
  const times = report?.inferenceMs.map((ms) => ms.toFixed(0)).join(', ');
  return (
    <div
      style={{ padding: '6px 10px', color: '#aaa', font: '11px sans-serif', borderTop: '1px solid #444' }}
      data-testid="mask-backend" data-backend={report?.backend ?? ''} data-inference-ms={report?.inferenceMs.join(',') ?? ''}
    >
      {report ? `Mask model: ${report.description}${times ? ` · last inferences ${times} ms` : ''}` : 'Mask model: not loaded yet'}
    </div>
  );
}
