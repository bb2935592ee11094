// One session: its fields and a chart of its meter values. An active session follows the live feed.
import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import { api } from '../api/client';
import { useFeed } from '../api/feed';
import type { FeedMessage, TransactionDetail } from '../api/types';
import { Chart } from '../components/chart';
import { LoadState } from '../components/load-state';
import { StatusBadge } from '../components/status-badge';
import { formatDuration, formatEnergy, formatPower, formatTime } from '../lib/format';
import { meterSeries, type MeterSeries } from '../lib/meter-series';
import { href } from '../lib/router';
import { useResource, useThrottled } from '../lib/use-resource';

/**
 * Adds the session's start and stop as empty points: the time axis then spans the whole session, and
 * uPlot has two x values even when the charger sent a single reading (with one, it picks a range of years).
 */
function withSessionBounds(series: MeterSeries, startS: number, endS: number): uPlot.AlignedData {
  const times = [...new Set([...series.times, startS, endS])].sort((a, b) => a - b);
  const index = new Map(series.times.map((t, i) => [t, i]));
  const pick = (values: (number | null)[]) => times.map((t) => (index.has(t) ? values[index.get(t)!] : null));
  return [times, pick(series.energyWh), pick(series.powerW)];
}

function sessionRange(min: number | null, max: number | null, startS: number, endS: number): [number, number] {
  // min and max are null while there is no reading at all.
  const from = Math.min(min ?? startS, startS);
  const to = Math.max(max ?? endS, endS);
  return to > from ? [from, to] : [from - 30, from + 30];
}

function chartOptions(startS: number, endS: number): Omit<uPlot.Options, 'width'> {
  return {
  height: 320,
  // The whole session, even when it has one reading so far (uPlot would otherwise guess a range).
  scales: { x: { time: true, range: (_u, min, max) => sessionRange(min, max, startS, endS) } },
  series: [
    {},
    { label: 'Energy delivered', scale: 'Wh', stroke: '#2563eb', width: 2, value: (_u, v) => formatEnergy(v), spanGaps: true },
    { label: 'Power', scale: 'W', stroke: '#d97706', width: 2, value: (_u, v) => formatPower(v), spanGaps: true },
  ],
  axes: [
    {},
    { scale: 'Wh', label: 'Energy delivered (Wh)', size: 70 },
    { scale: 'W', label: 'Power (W)', side: 1, size: 70, grid: { show: false } },
  ],
  };
}

export function SessionPage({ id }: { id: string }) {
  const session = useResource(() => api.get<TransactionDetail>(`/transactions/${encodeURIComponent(id)}`), [id]);
  const refresh = useThrottled(() => session.reload(true), 1000);

  useFeed((message: FeedMessage) => {
    const txId = message.data.transactionId ?? message.data.id;
    if (String(txId) === id) refresh();
  }, ['transaction.meter_values', 'transaction.stopped']);

  const s = session.data;
  const series = useMemo(() => meterSeries(s?.meterValues ?? [], s?.meterStartWh), [s]);
  const startS = s ? Date.parse(s.startedAt) / 1000 : 0;
  const endS = s?.stoppedAt ? Date.parse(s.stoppedAt) / 1000 : startS;
  const chartData = useMemo(() => withSessionBounds(series, startS, endS), [series, startS, endS]);
  const options = useMemo(() => chartOptions(startS, endS), [startS, endS]);
  // An active session has no energyWh yet: the latest register reading says how far it got.
  const energySoFar = [...series.energyWh].reverse().find((wh) => wh !== null) ?? null;

  return (
    <section data-testid="session-page">
      <p class="crumbs"><a href="#/sessions">Sessions</a> /</p>
      <div class="page-head">
        <h1>Session #{id}</h1>
        {s ? <StatusBadge status={s.status} /> : null}
      </div>
      <LoadState loading={session.loading} error={session.error} hasData={s !== undefined}>
        {s ? (
          <>
            <div class="card">
              <dl class="facts">
                <div><dt>Charger</dt><dd><a href={href('chargers', s.chargePointId)}>{s.chargePointId}</a></dd></div>
                {s.evseId ? <div><dt>EVSE</dt><dd>{s.evseId}</dd></div> : null}
                <div><dt>Connector</dt><dd>{s.connectorId}</dd></div>
                {typeof s.chargerTransactionId === 'string' ? <div><dt>Charger's id</dt><dd>{s.chargerTransactionId}</dd></div> : null}
                <div><dt>ID tag</dt><dd>{s.idTag}</dd></div>
                <div><dt>Started</dt><dd>{formatTime(s.startedAt)}</dd></div>
                <div><dt>Stopped</dt><dd>{formatTime(s.stoppedAt)}</dd></div>
                <div><dt>Duration</dt><dd>{formatDuration(s.durationS)}</dd></div>
                <div><dt>Energy</dt><dd>{s.energyWh !== null ? formatEnergy(s.energyWh) : energySoFar !== null ? `${formatEnergy(energySoFar)} so far` : '—'}</dd></div>
                <div><dt>Average power</dt><dd>{formatPower(s.averagePowerW)}</dd></div>
                <div><dt>Meter start</dt><dd>{formatEnergy(s.meterStartWh)}</dd></div>
                <div><dt>Meter stop</dt><dd>{formatEnergy(s.meterStopWh)}</dd></div>
                <div><dt>Stop reason</dt><dd>{s.stopReason ?? '—'}</dd></div>
                {s.flags.length ? <div><dt>Flags</dt><dd>{s.flags.join(', ')}</dd></div> : null}
              </dl>
            </div>
            <div class="card">
              <h2>Meter values</h2>
{series.times.length === 0 ? (
                <p class="muted">The charger has sent no energy or power readings for this session{s.status === 'Active' ? ' yet' : ''}.</p>
              ) : null}
              <Chart options={options} optionsKey={`${startS}-${endS}`} data={chartData} testId="session-chart" label={`Energy and power of session ${id}`} />
            </div>
          </>
        ) : null}
      </LoadState>
    </section>
  );
}
