// Energy delivered over a period, per day and per charger, as bar or line charts with the numbers below.
import { useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { api } from '../api/client';
import type { StatisticsGroup, StatisticsPage as StatisticsAnswer } from '../api/types';
import { Chart, seriesPaths } from '../components/chart';
import { LoadState } from '../components/load-state';
import { formatDuration, formatEnergy, parseTimeInput, toDateInput } from '../lib/format';
import { useResource } from '../lib/use-resource';

type ChartKind = 'bar' | 'line';

function daysAgo(days: number): Date {
  const date = new Date();
  date.setDate(date.getDate() - days);
  return date;
}

export function StatisticsPage() {
  const [fromInput, setFromInput] = useState(toDateInput(daysAgo(29)));
  const [toInput, setToInput] = useState(toDateInput(new Date()));
  const [period, setPeriod] = useState({ from: fromInput, to: toInput });
  const [kind, setKind] = useState<ChartKind>('bar');

  const query = { from: parseTimeInput(period.from), to: parseTimeInput(period.to, true), limit: 1000 };
  const perDay = useResource(() => api.get<StatisticsAnswer>('/statistics', { ...query, groupBy: 'day' }), [period.from, period.to]);
  const perCharger = useResource(() => api.get<StatisticsAnswer>('/statistics', { ...query, groupBy: 'chargePoint' }), [period.from, period.to]);

  const dayGroups = useMemo(() => withEmptyDays(perDay.data?.items ?? []), [perDay.data]);

  return (
    <section data-testid="statistics-page">
      <div class="page-head">
        <h1>Statistics</h1>
      </div>
      <form class="filters card" onSubmit={(e) => (e.preventDefault(), setPeriod({ from: fromInput, to: toInput }))}>
        <label>
          From
          <input type="date" data-testid="stats-from" value={fromInput} onInput={(e) => setFromInput(e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" data-testid="stats-to" value={toInput} onInput={(e) => setToInput(e.currentTarget.value)} />
        </label>
        <label>
          Chart
          <select data-testid="stats-chart-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as ChartKind)}>
            <option value="bar">Bars</option>
            <option value="line">Lines</option>
          </select>
        </label>
        <div class="button-row">
          <button type="submit" class="primary" data-testid="stats-apply">Show</button>
        </div>
      </form>
      <div class="card">
        <h2>Energy per day</h2>
        <LoadState loading={perDay.loading} error={perDay.error} hasData={perDay.data !== undefined}>
          <GroupChart groups={dayGroups} kind={kind} testId="chart-energy-per-day" byDay />
        </LoadState>
      </div>
      <div class="card">
        <h2>Energy per charger</h2>
        <LoadState loading={perCharger.loading} error={perCharger.error} hasData={perCharger.data !== undefined}>
          <GroupChart groups={perCharger.data?.items ?? []} kind={kind} testId="chart-energy-per-charger" />
        </LoadState>
      </div>
    </section>
  );
}

/** Days without sessions are missing from the answer; a zero keeps the time axis honest. */
function withEmptyDays(groups: StatisticsGroup[]): StatisticsGroup[] {
  if (groups.length < 2) return groups;
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const filled: StatisticsGroup[] = [];
  const last = new Date(groups[groups.length - 1].key + 'T00:00:00Z');
  for (let day = new Date(groups[0].key + 'T00:00:00Z'); day <= last; day.setUTCDate(day.getUTCDate() + 1)) {
    const key = day.toISOString().slice(0, 10);
    filled.push(byKey.get(key) ?? { key, sessions: 0, activeSessions: 0, energyWh: 0, durationS: 0 });
  }
  return filled;
}

interface GroupChartProps {
  groups: StatisticsGroup[];
  kind: ChartKind;
  testId: string;
  /** Day keys become a time axis; other keys are categories placed at 0, 1, 2… */
  byDay?: boolean;
}

function GroupChart({ groups, kind, testId, byDay }: GroupChartProps) {
  const xs = groups.map((g, i) => (byDay ? new Date(g.key + 'T00:00:00Z').getTime() / 1000 : i));
  const firstX = xs[0] ?? 0;
  const lastX = xs[xs.length - 1] ?? 0;
  const data = useMemo<uPlot.AlignedData>(() => [xs, groups.map((g) => g.energyWh / 1000)], [groups]);
  const keys = groups.map((g) => g.key);
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: 260,
      // Half a slot of margin each side so the outer bars are whole; energy always starts at zero.
      scales: {
        x: { time: !!byDay, range: () => (byDay ? [firstX - 43200, lastX + 43200] : [firstX - 0.5, lastX + 0.5]) },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      series: [
        { label: byDay ? 'Day' : 'Charger', value: (_u, v) => (v === null ? '—' : byDay ? new Date(v * 1000).toISOString().slice(0, 10) : keys[v] ?? '') },
        {
          label: 'Energy (kWh)',
          stroke: '#2563eb',
          fill: kind === 'bar' ? 'rgba(37, 99, 235, 0.55)' : 'rgba(37, 99, 235, 0.08)',
          width: kind === 'bar' ? 1 : 2,
          paths: seriesPaths(kind),
          points: { show: kind === 'line' },
          value: (_u, v) => (v === null ? '—' : `${v.toFixed(2)} kWh`),
        },
      ],
      axes: [
        byDay
          ? { incrs: [86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400], values: (_u, splits) => splits.map((x) => new Date(x * 1000).toISOString().slice(5, 10)) }
          : { splits: () => keys.map((_k, i) => i), values: (_u, splits) => splits.map((i) => keys[i] ?? '') },
        { label: 'kWh', size: 60 },
      ],
    }),
    [kind, keys.join('\n'), byDay, firstX, lastX],
  );
  return (
    <>
      {groups.length === 0 ? <p class="muted">No sessions in this period.</p> : null}
      <Chart options={options} optionsKey={`${kind}|${keys.join('\n')}|${firstX}|${lastX}`} data={data} testId={testId} label="Energy chart" />
      {groups.length > 0 ? (
        <div class="scroll-x">
          <table class="compact">
            <thead>
              <tr><th>{byDay ? 'Day' : 'Charger'}</th><th class="num">Energy</th><th class="num">Sessions</th><th class="num">Active</th><th class="num">Charging time</th></tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.key}>
                  <td>{g.key}</td>
                  <td class="num">{formatEnergy(g.energyWh)}</td>
                  <td class="num">{g.sessions}</td>
                  <td class="num">{g.activeSessions}</td>
                  <td class="num">{formatDuration(g.durationS)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
