// A charger at the byte level: sends raw text frames and reads raw answers, to test what a well-behaved
// client library would never send.
import WebSocket from 'ws';

export interface RawCharger {
  socket: WebSocket;
  send(frame: string | unknown[]): void;
  /** The next frame from the server, parsed; rejects after `ms`. */
  next(ms?: number): Promise<any>;
  /** Resolves true if nothing arrives within `ms`. */
  silentFor(ms: number): Promise<boolean>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** `ca`: for wss://, the CA the server's certificate is checked against. */
export async function openRawCharger(url: string, protocols: string[] = ['ocpp1.6'], options: { ca?: string } = {}): Promise<RawCharger> {
  const socket = new WebSocket(url, protocols, options.ca ? { ca: options.ca } : {});
  const inbox: any[] = [];
  const waiters: Array<(frame: any) => void> = [];
  socket.on('message', (data) => {
    const text = String(data);
    let frame: any;
    try {
      frame = JSON.parse(text);
    } catch {
      frame = text;
    }
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else inbox.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = (ms = 3000): Promise<any> => {
    if (inbox.length) return Promise.resolve(inbox.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(done), 1);
        reject(new Error(`no frame within ${ms} ms`));
      }, ms);
      const done = (frame: any) => {
        clearTimeout(timer);
        resolve(frame);
      };
      waiters.push(done);
    });
  };
  return {
    socket,
    closed,
    next,
    send(frame) {
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    async silentFor(ms) {
      try {
        await next(ms);
        return false;
      } catch {
        return true;
      }
    },
    close() {
      socket.terminate();
    },
  };
}

/** After bad input, the same connection still answers a Heartbeat (one bad frame harms nothing else). */
export async function assertStillServed(raw: RawCharger): Promise<void> {
  raw.send([2, 'hb', 'Heartbeat', {}]);
  const answer = await raw.next();
  if (answer?.[0] !== 3 || answer?.[1] !== 'hb' || typeof answer?.[2]?.currentTime !== 'string') {
    throw new Error(`the connection no longer serves a Heartbeat: ${JSON.stringify(answer)}`);
  }
}
