/**
 * fetch with a per-attempt timeout, retries with exponential backoff on 429 and 5xx (and network errors),
 * and cancellation through the caller's AbortSignal. 4xx other than 429 are not retried: sending the same
 * request again would fail the same way.
 */
import { GeneratorError } from './generator';

export interface RetryPolicy {
  /** Per attempt, ms (default 120 000: image models are slow). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  readonly retries?: number;
  /** First backoff delay, ms; doubles each retry (default 1000). */
  readonly backoffMs?: number;
}

export async function fetchWithRetry(url: string, init: RequestInit, what: string, policy: RetryPolicy = {}, signal?: AbortSignal): Promise<Response> {
  const timeoutMs = policy.timeoutMs ?? 120_000;
  const retries = policy.retries ?? 3;
  const backoffMs = policy.backoffMs ?? 1000;
  for (let attempt = 0; ; attempt++) {
    throwIfCancelled(signal);
    const guard = attemptSignal(timeoutMs, signal);
    let response: Response | undefined;
    let failure: string;
    try {
      response = await guard.race(fetch(url, { ...init, signal: guard.signal }));
      if (response.ok) return response;
      failure = `${what} answered HTTP ${response.status}${await errorDetail(response)}`;
      if (response.status !== 429 && response.status < 500) throw new GeneratorError(`${failure}; check the provider settings and the prompt`);
    } catch (error) {
      if (error instanceof GeneratorError) throw error;
      throwIfCancelled(signal);
      failure = guard.timedOut() ? `${what} did not answer within ${Math.round(timeoutMs / 1000)} s` : `could not reach ${what} (${(error as Error).message})`;
    } finally {
      guard.dispose();
    }
    if (attempt >= retries) throw new GeneratorError(`${failure} after ${retries + 1} attempts; check that the server is running, or try again later`);
    const retryAfter = Number(response?.headers.get('retry-after'));
    await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : backoffMs * 2 ** attempt, signal);
  }
}

/** A short reason from the server's error body (OpenAI's {error:{message}}, ComfyUI's {error:{message}}), trimmed. */
async function errorDetail(response: Response): Promise<string> {
  try {
    const text = (await response.text()).slice(0, 2000);
    try {
      const body = JSON.parse(text) as { error?: { message?: unknown } | string };
      const message = typeof body.error === 'string' ? body.error : body.error?.message;
      if (typeof message === 'string' && message) return `: ${message.slice(0, 200)}`;
    } catch { /* not JSON */ }
    return '';
  } catch {
    return '';
  }
}

export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new GeneratorError('cancelled: nothing was written');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new GeneratorError('cancelled: nothing was written'));
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(timer); reject(new GeneratorError('cancelled: nothing was written')); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One attempt's signal: the caller's cancel or the timeout, whichever comes first. Built from
 * AbortController and a timer rather than AbortSignal.any/timeout, which UXP's runtime does not promise;
 * `race` also settles the attempt where fetch ignores the signal, so a timeout or Cancel is never missed.
 */
export function attemptSignal(timeoutMs: number, outer?: AbortSignal): {
  signal?: AbortSignal; timedOut(): boolean; race<T>(work: Promise<T>): Promise<T>; dispose(): void;
} {
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  let timedOut = false;
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => { stop = reject; });
  stopped.catch(() => undefined);
  const timer = setTimeout(() => { timedOut = true; controller?.abort(); stop(new Error('timed out')); }, timeoutMs);
  const onAbort = (): void => { controller?.abort(); stop(new Error('cancelled')); };
  outer?.addEventListener?.('abort', onAbort, { once: true });
  return {
    signal: controller?.signal,
    timedOut: () => timedOut,
    race: (work) => Promise.race([work, stopped]),
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener?.('abort', onAbort);
    },
  };
}
