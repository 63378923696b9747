// Child processes of a benchmark run: the production build of the service and the baseline server.
// Their output goes to files under bench/out/ so logging costs what it costs in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';

export interface Proc {
  name: string;
  child: ChildProcess;
  url: string;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

function vmHwmMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

export async function startProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  logFile: string,
): Promise<Proc> {
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  const url = `http://127.0.0.1:${port}`;
  let peak = 0;
  const proc: Proc = {
    name,
    child,
    url,
    peakRssMb: () => (peak = Math.max(peak, vmHwmMb(child.pid))),
    async stop() {
      proc.peakRssMb();
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitReady(url, child);
  } catch (err) {
    await proc.stop();
    // The reason is usually in the process's own output (a migration changed after it was applied to
    // a reused database, for instance: rerun with --reseed).
    const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join('\n');
    throw new Error(`${(err as Error).message}\n${tail}`, { cause: err });
  }
  return proc;
}
