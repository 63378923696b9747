// Real server processes: `node --import tsx src/server.ts` with the environment a clinic would give it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ADMIN_KEY = 'reliability-admin-key-0123456789abcdef';
export const CLINIC_TIMEZONE = 'America/New_York';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const START_TIMEOUT_MS = 120_000; // a first start may build the dashboard or create an embedded cluster

export interface ServerOptions {
  port: number;
  /** Unset: the server runs its own embedded PostgreSQL in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
}

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** stdout and stderr lines, for diagnosis and for checking a clean start. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Lines the server logged at level error (50) or fatal (60). */
  errorLines(): string[];
  rssMiB(): number;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM and wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServer(opts: ServerOptions): Promise<ServerProcess> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TZ: 'UTC',
    HOST: '127.0.0.1',
    PORT: String(opts.port),
    ADMIN_API_KEY: ADMIN_KEY,
    CLINIC_TIMEZONE,
    LOG_LEVEL: 'warn',
    REPORT_SCHEDULER: 'off',
    // The soak and two-instance runs drive one key far past a front desk's pace.
    RATE_LIMIT_PER_MINUTE: '0',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...(opts.dataDir ? { DATA_DIR: opts.dataDir } : {}),
    ...opts.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() && output.length < 5_000) output.push(line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server on ${opts.port} did not start within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`)),
      START_TIMEOUT_MS,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server on ${opts.port} exited (${code ?? signal}) before listening:\n${output.join('\n')}`));
    });
  });
  await listening;
  const pid = child.pid!;
  return {
    url: `http://127.0.0.1:${opts.port}`,
    pid,
    child,
    output,
    exited,
    errorLines: () => output.filter((l) => /"level":(50|60)/.test(l)),
    rssMiB() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round(kb / 102.4) / 10;
    },
    kill(signal) {
      child.kill(signal);
    },
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
