// "Previous" / "Next" under a cursor-paged table.
import type { CursorPager } from '../lib/use-cursor-pager';

interface Props {
  pager: CursorPager;
  nextCursor: string | null | undefined;
}

export function Pager({ pager, nextCursor }: Props) {
  return (
    <div class="pager">
      <button type="button" data-testid="page-prev" disabled={!pager.hasPrevious} onClick={pager.previous}>
        ← Previous
      </button>
      <span class="muted">Page {pager.pageNumber}</span>
      <button type="button" data-testid="page-next" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next →
      </button>
    </div>
  );
}
