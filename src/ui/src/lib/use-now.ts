// The current time, refreshed now and then, so "12 s ago" labels stay true without new data.
import { useEffect, useState } from 'preact/hooks';

export function useNow(everyMs = 10000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
