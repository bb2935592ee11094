// Paging over the API's opaque cursors: the API only knows "next", so the pages already seen are
// remembered to go back.
import { useCallback, useState } from 'preact/hooks';

export interface CursorPager {
  cursor: string | null;
  pageNumber: number;
  hasPrevious: boolean;
  next: (nextCursor: string) => void;
  previous: () => void;
  reset: () => void;
}

export function useCursorPager(): CursorPager {
  // stack[i] is the cursor of page i+1; page 1 has none.
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const next = useCallback((nextCursor: string) => setStack((s) => [...s, nextCursor]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([null]), []);
  return {
    cursor: stack[stack.length - 1],
    pageNumber: stack.length,
    hasPrevious: stack.length > 1,
    next,
    previous,
    reset,
  };
}
