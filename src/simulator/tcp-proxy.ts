// A TCP proxy between Voltgate and its database that can break the line the ways networks and servers
// break it: every connection cut at once, new connections refused, or everything stalled (packets dropped,
// nothing closed). The fault tests and `voltgate bench --fault net-cut` put it in front of PostgreSQL.
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'forward' | 'refuse' | 'blackhole';

interface Pair {
  client: Socket;
  upstream: Socket;
}

export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private server: Server;
  private mode: ProxyMode = 'forward';

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
    server: Server,
  ) {
    this.server = server;
  }

  /** Listens on 127.0.0.1 (a free port unless one is given) and forwards to the target. */
  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const server = createServer();
    await listen(server, port);
    const address = server.address();
    const proxy = new TcpProxy(target, typeof address === 'object' && address ? address.port : port, server);
    server.on('connection', proxy.onConnection);
    return proxy;
  }

  /** The same URL with its host and port pointing at this proxy. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  get currentMode(): ProxyMode {
    return this.mode;
  }

  /** Destroys every open connection (both sides see a reset); new ones still go through. */
  cut(): void {
    for (const pair of this.pairs) destroy(pair);
  }

  /** Cuts every connection and stops listening: new connections are refused (ECONNREFUSED). */
  async refuse(): Promise<void> {
    this.mode = 'refuse';
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Nothing flows either way and nothing closes: open connections stall, new ones connect and hear nothing. */
  blackhole(): void {
    this.mode = 'blackhole';
    for (const pair of this.pairs) {
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.client.pause();
      pair.upstream.pause();
    }
  }

  /** Forwards again: a refusing proxy listens on the same port, a stalled line carries what was held back. */
  async restore(): Promise<void> {
    const was = this.mode;
    this.mode = 'forward';
    if (was === 'refuse') {
      this.server = createServer();
      this.server.on('connection', this.onConnection);
      await listen(this.server, this.port);
    }
    if (was === 'blackhole') for (const pair of this.pairs) pipe(pair);
  }

  async close(): Promise<void> {
    this.cut();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private readonly onConnection = (client: Socket): void => {
    const upstream = connect(this.target.port, this.target.host);
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => destroy(pair);
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', () => {
      upstream.destroy();
      this.pairs.delete(pair);
    });
    upstream.on('close', () => {
      client.destroy();
      this.pairs.delete(pair);
    });
    if (this.mode === 'blackhole') {
      client.pause();
      upstream.pause();
      return;
    }
    pipe(pair);
  };
}

function pipe(pair: Pair): void {
  pair.client.pipe(pair.upstream);
  pair.upstream.pipe(pair.client);
}

function destroy(pair: Pair): void {
  pair.client.destroy();
  pair.upstream.destroy();
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
