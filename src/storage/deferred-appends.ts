// Rows that are not money (authorization decisions) gathered for a short while and handed to the group
// commit as one write, so a burst of a thousand Authorizes costs a handful of inserts instead of a
// thousand queued writes competing with the sessions' own. Each caller still learns when its row is durable.
import type { BatchBuffers, BufferWork } from './unit-of-work.js';

interface Waiting<Row> {
  row: Row;
  resolve(): void;
  reject(error: unknown): void;
}

export class DeferredAppends<Row> {
  private waiting: Waiting<Row>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    /** Hands the rows to the group commit; resolves once they are durable (or held until storage is back). */
    private readonly write: (fill: BufferWork, rows: Row[]) => Promise<unknown>,
    private readonly fill: (buffers: BatchBuffers, rows: Row[]) => void,
    private readonly delayMs = 100,
  ) {}

  append(row: Row): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
    });
  }

  /** Hands everything gathered so far to the group commit; resolves when it is durable or held (or failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return this.flushing;
    const rows = batch.map((w) => w.row);
    const written = this.write((buffers) => this.fill(buffers, rows), rows).then(
      () => batch.forEach((w) => w.resolve()),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
    this.flushing = this.flushing.then(() => written);
    return this.flushing;
  }
}
