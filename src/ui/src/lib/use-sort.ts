// Click-to-sort for a loaded page of rows (the API pages in its own order; this sorts what is shown).
import { useMemo, useState } from 'preact/hooks';

export interface SortState<K extends string> {
  key: K | null;
  descending: boolean;
  toggle: (key: K) => void;
}

export function useSortedRows<T, K extends string>(
  rows: T[],
  valueOf: (row: T, key: K) => string | number | null,
): { sorted: T[]; sort: SortState<K> } {
  const [key, setKey] = useState<K | null>(null);
  const [descending, setDescending] = useState(false);
  const toggle = (next: K) => {
    if (next === key) setDescending(!descending);
    else {
      setKey(next);
      setDescending(false);
    }
  };
  const sorted = useMemo(() => {
    if (key === null) return rows;
    const direction = descending ? -1 : 1;
    return [...rows].sort((a, b) => direction * compare(valueOf(a, key), valueOf(b, key)));
  }, [rows, key, descending]);
  return { sorted, sort: { key, descending, toggle } };
}

/** Empty values (a session not stopped yet) sort before any value; numbers numerically, text naturally. */
function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}
