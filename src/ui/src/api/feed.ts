// The live feed: one EventSource per signed-in tab, shared by every component that listens.
import { useEffect, useRef } from 'preact/hooks';
import { EVENT_NAMES, type FeedMessage } from './types';
import { API_BASE } from './client';
import { probeSoon } from './connectivity';
import { operatorKey } from './session';


type Listener = (message: FeedMessage) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function open(key: string): void {
  close();
  // EventSource cannot send headers: this is the one route that takes the key in the URL.
  source = new EventSource(`${API_BASE}/events?key=${encodeURIComponent(key)}`);
  for (const name of EVENT_NAMES) source.addEventListener(name, (event) => dispatch((event as MessageEvent).data));
  source.onerror = () => {
    probeSoon();
    // The browser retries by itself unless the stream was refused (e.g. 401 or a proxy error page).
    if (source?.readyState === EventSource.CLOSED) {
      retryTimer = setTimeout(() => operatorKey.get() && open(operatorKey.get()!), 5000);
    }
  };
}

function close(): void {
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
  source?.close();
  source = null;
}

function dispatch(raw: string): void {
  let message: FeedMessage;
  try {
    message = JSON.parse(raw) as FeedMessage;
  } catch {
    return;
  }
  for (const listener of [...listeners]) listener(message);
}

operatorKey.subscribe((key) => (key ? open(key) : close()));
if (operatorKey.get()) open(operatorKey.get()!);

/** Calls `onMessage` for each feed message whose event is in `events` (all when omitted). */
export function useFeed(onMessage: Listener, events?: readonly string[]): void {
  const latest = useRef(onMessage);
  latest.current = onMessage;
  const filter = events?.join(',');
  useEffect(() => {
    const wanted = filter ? new Set(filter.split(',')) : null;
    const listener: Listener = (message) => {
      if (!wanted || wanted.has(message.event)) latest.current(message);
    };
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, [filter]);
}
