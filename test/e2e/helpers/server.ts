// Spawns the server as users run it and waits until /readyz answers; its output goes to a log file
// under test-results/ for when a test needs explaining.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/** The e2e tests own ports 3352-3399 (3350-3351 are for running the dashboard by hand). */
async function freePort(from = 3352, to = 3399): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}; see test-results/e2e-server.log`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s; see test-results/e2e-server.log`);
}

export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  mkdirSync('test-results', { recursive: true });
  const log = createWriteStream('test-results/e2e-server.log');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  if (!env.DATABASE_OWNER_URL) delete childEnv.DATABASE_OWNER_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    // First start: migrations, and a dashboard build when web/dist is missing or stale.
    await waitReady(baseUrl, child, 180_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    baseUrl,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}
