// How times, energy and durations read on screen.

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/** "12 s ago", "5 min ago": how fresh a charger's last message is matters more than the clock time. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function formatEnergy(wh: number | null | undefined): string {
  if (wh === null || wh === undefined) return '—';
  if (Math.abs(wh) >= 1000) return `${(wh / 1000).toLocaleString(undefined, { maximumFractionDigits: 2 })} kWh`;
  return `${wh.toLocaleString(undefined, { maximumFractionDigits: 0 })} Wh`;
}

export function formatPower(w: number | null | undefined): string {
  if (w === null || w === undefined) return '—';
  if (Math.abs(w) >= 1000) return `${(w / 1000).toLocaleString(undefined, { maximumFractionDigits: 2 })} kW`;
  return `${w.toLocaleString(undefined, { maximumFractionDigits: 0 })} W`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}

/**
 * Reads what an operator typed as a time: "2026-11-30", "2026-11-30 14:00" or full ISO, in local time.
 * A bare date used as an end (`endOfDay`) means the whole day, so "to 2026-11-30" includes that day.
 */
export function parseTimeInput(text: string, endOfDay = false): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (dateOnly) {
    const [, y, m, d] = dateOnly.map(Number);
    return new Date(y, m - 1, endOfDay ? d + 1 : d).toISOString();
  }
  const date = new Date(trimmed.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** YYYY-MM-DD in local time, for date inputs. */
export function toDateInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Where on a charger: `E2#1` (a 2.x connector, numbered within its EVSE), `#1` (1.x), `CP` (1.x connector 0). */
export function formatConnector(evseId: number | null | undefined, connectorId: number): string {
  if (evseId) return `E${evseId}#${connectorId}`;
  return connectorId === 0 ? 'CP' : `#${connectorId}`;
}
