/**
 * The one way a screen loads what it shows: the answer, the problem, whether a request is on
 * its way, and "load again". What every page used to write out (an AbortController per effect,
 * `.then(set)`, `.catch` that ignores the abort, `abort()` on the way out) is here once.
 *
 *   const { data: claims, error } = useLoad((signal) => api.get<TravelClaimSummary[]>('/api/travel-claims', { signal }), []);
 *
 * - The loader runs when the component mounts and again when a value in `deps` changes (as an
 *   effect's dependencies: what the loader reads from props and state); the request before is
 *   aborted, and so is the one in flight when the component goes. An aborted load changes nothing.
 * - `deps` changed: `data` is `null` until the new answer (it described something else), unless
 *   `keep` says to show the last answer meanwhile (a list whose filters changed);
 *   `reload()` (after a change, on "Try again", a poll) keeps showing the last answer until the
 *   next one is in.
 * - A failure is an `ApiError` (anything else thrown becomes one), cleared when the next load starts.
 * - `setData` replaces the answer with a newer one the screen got otherwise (a save's answer).
 * - What else an answer sets (an editor's form, a shared signal) is set in the loader, after
 *   `if (!signal.aborted)`; an editor that keeps the record in state of its own uses only `error`.
 */
import { useCallback, useEffect, useRef, useState, type Inputs } from 'preact/hooks';

import { ApiError } from './api';

export interface Loaded<T> {
  /** The last answer; `null` before the first one (and after `deps` changed, until the new one). */
  data: T | null;
  error: ApiError | null;
  /** A load is on its way. */
  loading: boolean;
  /** Load again (aborting a load still on its way); settles when the new answer or problem is in. */
  reload: () => Promise<void>;
  setData: (next: T | null | ((current: T | null) => T | null)) => void;
}

/** A thrown value as a problem the screens can show (`<ProblemAlert error={...} />`). */
export function toApiError(caught: unknown): ApiError {
  if (caught instanceof ApiError) return caught;
  return new ApiError({ title: String(caught), status: 0, code: 'error' });
}

function sameDeps(a: Inputs | null, b: Inputs): boolean {
  return a !== null && a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}

export interface LoadOptions {
  /** Show the last answer until the new one is in when `deps` change too (not only on `reload()`). */
  keep?: boolean;
}

export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: Inputs, options: LoadOptions = {}): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const loadedFor = useRef<Inputs | null>(null);
  const waiting = useRef<Array<() => void>>([]);
  const settle = () => {
    const done = waiting.current;
    waiting.current = [];
    for (const resolve of done) resolve();
  };

  useEffect(() => {
    if (!sameDeps(loadedFor.current, deps)) {
      if (loadedFor.current !== null && !options.keep) setData(null);
      loadedFor.current = deps;
    }
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    new Promise<T>((resolve) => resolve(load(abort.signal))).then(
      (answer) => {
        if (abort.signal.aborted) return;
        setData(() => answer);
        setLoading(false);
        settle();
      },
      (caught: unknown) => {
        if (abort.signal.aborted) return;
        setError(toApiError(caught));
        setLoading(false);
        settle();
      },
    );
    return () => abort.abort();
  }, [...deps, attempt]);

  useEffect(() => settle, []); // gone: nobody waits for a load that will never come

  const reload = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiting.current.push(resolve);
        setAttempt((n) => n + 1);
      }),
    [],
  );
  return { data, error, loading, reload, setData };
}
