// The live feed as server-sent events: the events committed from now on, after a replay from the outbox of
// those after Last-Event-ID, with a comment every keepAliveMs so proxies keep the stream open.
import { eventBody, type DomainEvent } from './types.js';

export interface FeedSource {
  after(afterId: string, limit: number): Promise<DomainEvent[]>;
  onCommitted(listener: (events: DomainEvent[]) => void): () => void;
}

export interface FeedSink {
  /** False when the client is not keeping up; the feed then closes and the client resumes with Last-Event-ID. */
  write(text: string): boolean;
  end(): void;
}

export function formatEvent(event: DomainEvent): string {
  return `id: ${event.id}\nevent: ${event.event}\ndata: ${eventBody(event)}\n\n`;
}

const REPLAY_PAGE = 500;

export function openFeed(
  source: FeedSource,
  sink: FeedSink,
  options: { lastEventId: string | null; keepAliveMs: number; maxBufferedBytes: number; buffered: () => number },
): { close(): void } {
  let closed = false;
  // Live events that arrive during the replay wait here, so none is lost or sent twice.
  let waiting: DomainEvent[] | null = options.lastEventId ? [] : null;
  const send = (event: DomainEvent) => {
    if (closed) return;
    sink.write(formatEvent(event));
    if (options.buffered() > options.maxBufferedBytes) close();
  };
  const unsubscribe = source.onCommitted((events) => {
    if (waiting) waiting.push(...events);
    else for (const event of events) send(event);
  });
  const keepAlive = setInterval(() => sink.write(': keep-alive\n\n'), options.keepAliveMs);
  keepAlive.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(keepAlive);
    sink.end();
  };
  sink.write(': voltgate live feed\n\n');

  if (options.lastEventId) {
    void (async () => {
      const replayed = new Set<string>();
      let after = options.lastEventId!;
      for (;;) {
        const page = await source.after(after, REPLAY_PAGE);
        for (const event of page) {
          replayed.add(event.id);
          send(event);
        }
        if (page.length < REPLAY_PAGE || closed) break;
        after = page[page.length - 1].id;
      }
      const held = waiting ?? [];
      waiting = null;
      for (const event of held) if (!replayed.has(event.id)) send(event);
    })().catch(() => close());
  }
  return { close };
}
