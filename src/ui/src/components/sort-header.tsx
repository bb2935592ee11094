// A column header that sorts its column when clicked: a <th>, or a span in the div tables whose rows
// are links (an <a> may not take ARIA table roles, so those tables are plain lists of links).
import type { ComponentChildren } from 'preact';
import type { SortState } from '../lib/use-sort';

interface Props<K extends string> {
  column: K;
  sort: SortState<K>;
  children: ComponentChildren;
  inDivTable?: boolean;
}

export function SortHeader<K extends string>({ column, sort, children, inDivTable }: Props<K>) {
  const active = sort.key === column;
  const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  const button = (
    <button type="button" class="sort" data-testid={`sort-${column}`} onClick={() => sort.toggle(column)}>
      {children}
      <span class="sort-mark" aria-hidden="true">{active ? (sort.descending ? '▼' : '▲') : '↕'}</span>
    </button>
  );
  return inDivTable ? (
    <span>{button}</span>
  ) : (
    <th aria-sort={ariaSort}>{button}</th>
  );
}
