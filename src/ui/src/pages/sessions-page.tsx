// All charging sessions: filtered by the API, paged with its cursor, sorted on screen, exportable as CSV.
import { useMemo, useState } from 'preact/hooks';
import { fetchAllChargePoints } from '../api/charge-points';
import { api, describeError, send, type Query } from '../api/client';
import type { Page, Transaction } from '../api/types';
import { LoadState } from '../components/load-state';
import { Pager } from '../components/pager';
import { SortHeader } from '../components/sort-header';
import { StatusBadge } from '../components/status-badge';
import { saveResponse } from '../lib/download';
import { formatConnector, formatDuration, formatEnergy, formatTime, parseTimeInput } from '../lib/format';
import { href } from '../lib/router';
import { useCursorPager } from '../lib/use-cursor-pager';
import { useResource, useThrottled } from '../lib/use-resource';
import { useFeed } from '../api/feed';
import { useSortedRows } from '../lib/use-sort';
import { EMPTY_FILTER, SessionFilters, type SessionFilter } from './session-filters';

const PAGE_SIZE = 25;

type Column = 'id' | 'chargePointId' | 'connectorId' | 'idTag' | 'startedAt' | 'stoppedAt' | 'energyWh' | 'durationS' | 'status';

/** The filter a link may carry, e.g. #/sessions?chargePointId=SIM-1 from a charger page. */
function filterFromHash(): SessionFilter {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  return { ...EMPTY_FILTER, chargePointId: query.get('chargePointId') ?? '', idTag: query.get('idTag') ?? '' };
}

/** The API query for a filter, or an error naming the field the operator must fix. */
function toQuery(filter: SessionFilter): { query: Query } | { error: string } {
  const from = parseTimeInput(filter.from);
  const to = parseTimeInput(filter.to, true);
  if (filter.from.trim() && !from) return { error: `"From" is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM.` };
  if (filter.to.trim() && !to) return { error: `"To" is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM.` };
  return {
    query: {
      chargePointId: filter.chargePointId.trim(),
      idTag: filter.idTag.trim(),
      from,
      to,
      active: filter.activeOnly ? true : undefined,
    },
  };
}

export function SessionsPage() {
  const [filter, setFilter] = useState(filterFromHash);
  const pager = useCursorPager();
  const chargers = useResource(fetchAllChargePoints, []);
  const parsed = useMemo(() => toQuery(filter), [filter]);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const sessions = useResource(async () => {
    if ('error' in parsed) return { items: [], nextCursor: null } satisfies Page<Transaction>;
    return api.get<Page<Transaction>>('/transactions', { ...parsed.query, limit: PAGE_SIZE, cursor: pager.cursor });
  }, [parsed, pager.cursor]);

  // The first page shows new and finished sessions as they happen; later pages stay put while read.
  const refresh = useThrottled(() => sessions.reload(true), 1500);
  useFeed(() => {
    if (!pager.hasPrevious) refresh();
  }, ['transaction.started', 'transaction.stopped']);

  const rows = sessions.data?.items ?? [];
  const { sorted, sort } = useSortedRows<Transaction, Column>(rows, (row, key) => row[key]);

  function apply(next: SessionFilter) {
    setFilter(next);
    pager.reset();
  }

  async function exportCsv(event: Event) {
    event.preventDefault();
    if ('error' in parsed) return;
    setExporting(true);
    setExportError(null);
    try {
      const response = await send('/transactions/export.csv', { query: parsed.query });
      await saveResponse(response, `voltgate-sessions-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (error) {
      setExportError(`Export failed: ${describeError(error)}`);
    } finally {
      setExporting(false);
    }
  }

  return (
    <section>
      <div class="page-head">
        <h1>Sessions</h1>
        <a href="#" class="button" data-testid="export-csv" onClick={exportCsv} aria-busy={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </a>
      </div>
      <SessionFilters initial={filter} chargers={chargers.data ?? []} onApply={apply} error={'error' in parsed ? parsed.error : null} />
      {exportError ? <p class="notice error">{exportError}</p> : null}
      <LoadState loading={sessions.loading} error={sessions.error} hasData={sessions.data !== undefined}>
        <div class="scroll-x">
          <div class="dtable" data-testid="sessions-table">
            <div class="dtable-head">
              <SortHeader column="id" sort={sort} inDivTable>Session</SortHeader>
              <SortHeader column="chargePointId" sort={sort} inDivTable>Charger</SortHeader>
              <SortHeader column="connectorId" sort={sort} inDivTable>Conn.</SortHeader>
              <SortHeader column="idTag" sort={sort} inDivTable>ID tag</SortHeader>
              <SortHeader column="startedAt" sort={sort} inDivTable>Started</SortHeader>
              <SortHeader column="stoppedAt" sort={sort} inDivTable>Stopped</SortHeader>
              <SortHeader column="energyWh" sort={sort} inDivTable>Energy</SortHeader>
              <SortHeader column="durationS" sort={sort} inDivTable>Duration</SortHeader>
              <SortHeader column="status" sort={sort} inDivTable>Status</SortHeader>
            </div>
            {sorted.map((s) => (
              <a key={s.id} class="dtable-row" href={href('sessions', s.id)} data-testid={`session-row-${s.id}`}>
                <span class="strong">#{s.id}</span>
                <span>{s.chargePointId}</span>
                <span>{formatConnector(s.evseId, s.connectorId)}</span>
                <span>{s.idTag}</span>
                <span class="nowrap">{formatTime(s.startedAt)}</span>
                <span class="nowrap">{formatTime(s.stoppedAt)}</span>
                <span class="num">{formatEnergy(s.energyWh)}</span>
                <span class="num">{formatDuration(s.durationS)}</span>
                <span><StatusBadge status={s.status} /></span>
              </a>
            ))}
          </div>
        </div>
        {rows.length === 0 ? <p class="empty">No sessions match these filters.</p> : null}
        <Pager pager={pager} nextCursor={sessions.data?.nextCursor} />
      </LoadState>
    </section>
  );
}

