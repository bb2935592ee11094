// The server's longest event-loop stall in a window, read from its own /metrics: prom-client's
// nodejs_eventloop_lag_max_seconds is the largest delay since the previous scrape, so one scrape at the start
// of the window resets it and one at the end reads it. A stall (a SQLite checkpoint, a long fsync, a GC pause)
// delays every charger's answer alike, so this is the figure to watch for them.
const METRIC = /^voltgate_nodejs_eventloop_lag_max_seconds\s+([0-9.eE+-]+)$/m;

/** The stall in ms since the previous call; null when the server has no /metrics to read. */
export async function readLongestStallMs(httpUrl: string | null): Promise<number | null> {
  if (!httpUrl) return null;
  try {
    const text = await (await fetch(`${httpUrl}/metrics`)).text();
    const match = METRIC.exec(text);
    return match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}
