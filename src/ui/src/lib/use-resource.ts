// Loads something from the API for a component: loading and error state, a reload, and a fresh load
// when the server comes back after an outage. Stale answers (from before a change of inputs) are dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../api/client';
import { reconnects } from '../api/connectivity';
import { useStore } from './store';

export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  /** Loads again; `quiet` keeps the current data on screen (for live updates). */
  reload: (quiet?: boolean) => void;
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const reconnected = useStore(reconnects);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback((quiet: boolean) => {
    const mine = ++generation.current;
    if (!quiet) setLoading(true);
    loadRef.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setDataState(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (mine !== generation.current) return;
        setError(describeError(failure));
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    setDataState(undefined);
    run(false);
  }, deps);

  // After an outage, refresh what is on screen without blanking it.
  useEffect(() => {
    if (reconnected > 0) run(true);
  }, [reconnected]);

  const reload = useCallback((quiet = false) => run(quiet), [run]);
  const setData = useCallback((update: (current: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}

/** Runs `fn` at most once per `ms`, trailing: bursts of feed events cost one reload. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}
