// The key lookup is on every request's path: served from memory, it saves a round trip per request.
// A cached entry is only trusted while this instance LISTENs on `api_keys_changed`, which a trigger on
// api_keys notifies on commit of every revocation, expiry change or removal (migration
// 20261201110000). While the listening connection is down (database restarted, connection killed) the
// cache is bypassed and emptied, and the connection is re-opened by itself; entries cached before a
// reconnect are dropped, since notifications sent meanwhile were lost.
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { Role } from './access-policy.ts';

export const KEY_CHANNEL = 'api_keys_changed';
export const LISTENER_APPLICATION_NAME = 'esi-scheduler-key-listener';

export interface CachedKey {
  id: string;
  name: string;
  role: Role;
  expiresAt: Date | null;
}

export interface ApiKeyCacheOptions {
  /** A new, unconnected client for the listening connection. */
  client: () => pg.Client;
  log: FastifyBaseLogger;
  maxEntries?: number;
  /** First wait before re-opening a lost listener; doubles up to 10 s. */
  retryMs?: number;
  /** How often the listening connection proves it is alive (a silently dropped idle connection, say
   * by a firewall, would otherwise look like a quiet channel). */
  heartbeatMs?: number;
}

export class ApiKeyCache {
  readonly stats = { hits: 0, misses: 0, invalidations: 0, reconnects: 0 };
  private readonly entries = new Map<string, CachedKey>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private listener: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** When the listening connection last answered; entries are trusted only shortly after. */
  private aliveAt = 0;
  private retryMs: number;
  /** Bumped by every invalidation: a lookup that started before one may not fill the cache. */
  private generation = 0;

  constructor(private readonly opts: ApiKeyCacheOptions) {
    this.retryMs = opts.retryMs ?? 250;
  }

  /** True while entries may be trusted (the listener is connected and listening). */
  get active(): boolean {
    return this.listening && !this.closed && Date.now() - this.aliveAt < 2.5 * this.heartbeatMs;
  }

  private get heartbeatMs(): number {
    return this.opts.heartbeatMs ?? 10_000;
  }

  /** The listening connection's server process id (tests end it to simulate a lost connection). */
  get listenerPid(): number | undefined {
    const client = this.listener as unknown as { processID?: number } | undefined;
    return this.listening ? client?.processID : undefined;
  }

  /** Opens the listener; a database that is down at start only delays the cache, never the start. */
  async start(): Promise<void> {
    await this.open().catch((err: unknown) => this.lost(undefined, err));
  }

  get(keyHash: string): CachedKey | undefined {
    if (!this.active) return undefined;
    const hit = this.entries.get(keyHash);
    if (hit) this.stats.hits++;
    else this.stats.misses++;
    return hit;
  }

  /** The generation to hand back to `set` after the database lookup. */
  snapshot(): number {
    return this.generation;
  }

  set(keyHash: string, entry: CachedKey, generation: number): void {
    if (!this.active || generation !== this.generation) return;
    if (this.entries.size >= (this.opts.maxEntries ?? 10_000)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(keyHash, entry);
  }

  invalidate(id: string | undefined): void {
    this.generation++;
    this.stats.invalidations++;
    if (!id) this.entries.clear();
    else for (const [hash, e] of this.entries) if (e.id === id) this.entries.delete(hash);
    for (const wake of this.waiters.get(id ?? '') ?? []) wake();
    this.waiters.delete(id ?? '');
  }

  /** Resolves when this instance has received the notification for `id`, plus `graceMs` for the
   * other instances' listeners, which PostgreSQL sent it to from the same commit (a busy instance may
   * read its socket a little later); or after `timeoutMs`; or at once when the cache is bypassed. */
  async notified(id: string, { timeoutMs = 2_000, graceMs = 50 } = {}): Promise<boolean> {
    if (!this.active) return false;
    const heard = await this.heard(id, timeoutMs);
    await new Promise((r) => setTimeout(r, graceMs).unref());
    return heard;
  }

  private heard(id: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set<() => void>();
      const timer = setTimeout(() => {
        set.delete(wake);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      set.add(wake);
      this.waiters.set(id, set);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    this.entries.clear();
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    for (const set of this.waiters.values()) for (const wake of set) wake();
    this.waiters.clear();
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    const client = this.opts.client();
    this.listener = client;
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (msg.channel === KEY_CHANNEL) this.invalidate(msg.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${KEY_CHANNEL}`);
    if (this.closed || this.listener !== client) return;
    // Whatever was cached before this connection listened may have been revoked unheard.
    this.invalidate(undefined);
    this.aliveAt = Date.now();
    this.listening = true;
    this.retryMs = this.opts.retryMs ?? 250;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.beat(client), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** A round trip on the listening connection; no answer within half the period counts as lost. */
  private beat(client: pg.Client): void {
    if (this.listener !== client || !this.listening) return;
    const timeout = setTimeout(() => this.lost(client, new Error('heartbeat timed out')), this.heartbeatMs / 2);
    timeout.unref();
    client
      .query('SELECT 1')
      .then(() => {
        clearTimeout(timeout);
        this.aliveAt = Date.now();
      })
      .catch((err: unknown) => {
        clearTimeout(timeout);
        this.lost(client, err);
      });
  }

  private lost(client: pg.Client | undefined, err?: unknown): void {
    if (this.closed || (client && client !== this.listener)) return;
    const wasListening = this.listening;
    this.listening = false;
    clearInterval(this.heartbeat);
    this.listener = undefined;
    this.invalidate(undefined);
    client?.removeAllListeners('notification');
    client?.on('error', () => undefined);
    void client?.end().catch(() => undefined);
    if (wasListening) {
      this.opts.log.warn({ reason: err instanceof Error ? err.message.slice(0, 200) : 'closed' }, 'API key listener lost; cache bypassed');
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stats.reconnects++;
      this.open()
        .then(() => {
          if (this.listening) this.opts.log.info('API key listener reconnected; cache in use');
        })
        .catch((e: unknown) => this.lost(this.listener, e));
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }
}

/** A listening client with the pool's own connection settings. */
export function listenerClientFor(pool: pg.Pool): () => pg.Client {
  const o = pool.options;
  return () =>
    new pg.Client({
      ...(o.connectionString ? { connectionString: o.connectionString } : {}),
      ...(o.host ? { host: o.host } : {}),
      ...(o.port ? { port: o.port } : {}),
      ...(o.user ? { user: o.user } : {}),
      ...(o.password ? { password: o.password } : {}),
      ...(o.database ? { database: o.database } : {}),
      ...(o.ssl ? { ssl: o.ssl } : {}),
      connectionTimeoutMillis: 3_000,
      keepAlive: true,
      application_name: LISTENER_APPLICATION_NAME,
    });
}
