// Webhook delivery off the chargers' path: committed events become pending deliveries (one per matching
// subscription), which go out with bounded concurrency, are retried with exponential back-off, and disable
// their subscription after too many failures in a row. Everything it knows is in the database, so a restart
// resumes the deliveries a crash interrupted (at least once: an attempt cut short by a crash is made again).
import type { Clock, DomainEvent, Log, WebhookAttempt } from '../../domain/ports.js';
import { isStorageUnavailable } from '../../domain/storage-faults.js';
import { deliver } from './deliver.js';
import { retryDelayMs } from './retry.js';

export interface PendingDelivery {
  webhookId: string;
  url: string;
  secret: string;
  attempts: number;
  event: DomainEvent;
}

export type AttemptRecord = WebhookAttempt;

/** The database side (storage/repositories/webhook-queue.ts). */
export interface DeliveryQueue {
  queueUndispatched(limit: number, now: string): Promise<number>;
  due(now: string, limit: number, inFlight: ReadonlySet<string>): Promise<PendingDelivery[]>;
  delivered(outcome: AttemptRecord): Promise<void>;
  failed(outcome: AttemptRecord, nextAttemptAt: string, maxFailures: number): Promise<void>;
}

export interface DispatcherOptions {
  queue: DeliveryQueue;
  clock: Clock;
  log: Log;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxFailures: number;
  concurrency: number;
  /** How often due retries are looked for when nothing new was committed. */
  pollMs?: number;
}

const QUEUE_BATCH = 1000;
/** New events are gathered this long before they are queued: one transaction for a burst, not one per commit. */
const WAKE_DELAY_MS = 25;

export class WebhookDispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly cancel = new AbortController();

  constructor(private readonly options: DispatcherOptions) {}

  start(): void {
    this.timer = setInterval(() => this.wake(0), this.options.pollMs ?? 250);
    this.timer.unref();
    this.wake(0);
  }

  /** Something was committed or a slot freed: look again soon. */
  wake(delayMs = WAKE_DELAY_MS): void {
    if (this.stopped || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.pass();
    }, delayMs);
    this.wakeTimer.unref();
  }

  /** Stops taking work and cuts the attempts in flight short: they stay pending and go out after the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel.abort();
    if (this.timer) clearInterval(this.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.running;
    await Promise.all(this.inFlight.values());
  }

  private pass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.work()
      .catch((error: unknown) => {
        // Storage away is logged where it is detected; the next poll after it is back carries on.
        if (!isStorageUnavailable(error)) this.options.log.warn({ err: error }, 'webhook dispatch pass failed; retried at the next poll');
      })
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake(0);
        }
      });
    return this.running;
  }

  private async work(): Promise<void> {
    const { queue, clock } = this.options;
    while (!this.stopped && (await queue.queueUndispatched(QUEUE_BATCH, clock.now().toISOString())) === QUEUE_BATCH);
    const free = this.options.concurrency - this.inFlight.size;
    if (this.stopped || free <= 0) return;
    const due = await queue.due(clock.now().toISOString(), free, new Set(this.inFlight.keys()));
    for (const delivery of due) {
      const key = `${delivery.webhookId}\u0000${delivery.event.id}`;
      const attempt = this.attempt(delivery).finally(() => {
        this.inFlight.delete(key);
        this.wake(0);
      });
      this.inFlight.set(key, attempt);
    }
  }

  private async attempt(delivery: PendingDelivery): Promise<void> {
    const { queue, clock, log } = this.options;
    const at = clock.now();
    const result = await deliver(delivery.url, delivery.secret, delivery.event, this.options.timeoutMs, this.cancel.signal);
    // Cut short by stop(): not the receiver's failure, so not recorded; the delivery stays pending as it was.
    if (this.stopped && !result.ok) return;
    const attempt = delivery.attempts + 1;
    const record: AttemptRecord = {
      webhookId: delivery.webhookId,
      eventId: delivery.event.id,
      event: delivery.event.event,
      attempt,
      at: at.toISOString(),
      status: result.status,
      error: result.error,
      durationMs: result.durationMs,
    };
    try {
      if (result.ok) await queue.delivered(record);
      else {
        const next = new Date(clock.now().getTime() + retryDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs));
        await queue.failed(record, next.toISOString(), this.options.maxFailures);
      }
    } catch (error) {
      // Not recorded: the delivery stays pending and is attempted again (at least once).
      log.warn({ err: error, webhookId: delivery.webhookId, eventId: delivery.event.id }, 'could not record a webhook attempt');
    }
  }
}
