// A TCP relay in front of the test PostgreSQL that can stop forwarding without closing anything: to
// each side the connection stays open and silent, as with a frozen server or a network path that drops
// packets. New connections during a pause are accepted and held silent too.
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpRelay {
  private server: Server | undefined;
  private readonly pairs = new Set<[client: Socket, upstream: Socket]>();
  private paused = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A relay in front of the server of `url`, and the same URL through the relay. */
  static async inFrontOf(url: string): Promise<{ relay: TcpRelay; url: string }> {
    const real = new URL(url);
    const relay = new TcpRelay({ host: real.hostname, port: Number(real.port || 5432) });
    await relay.open();
    const via = new URL(url);
    via.hostname = '127.0.0.1';
    via.port = String(relay.port);
    return { relay, url: via.toString() };
  }

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      // Either side closing closes the other: a connection the app discards ends its backend too.
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      for (const s of pair) {
        s.on('close', end);
        s.on('error', end);
      }
      if (!this.paused) this.forward(pair);
    });
    await new Promise<void>((res) => this.server!.listen(0, '127.0.0.1', res));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  private forward([client, upstream]: [Socket, Socket]): void {
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Stops forwarding in both directions; bytes wait in the sockets' buffers. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Forwards again, buffered bytes first. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const pair of this.pairs) this.forward(pair);
  }

  /** Connections currently open through the relay. */
  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
    this.server = undefined;
  }
}
