// `node --import tsx bench/profile-summary.ts <file.cpuprofile>` — where a server's CPU went: self time
// by package (or our own source folder) and the top functions, from a profile taken with
// `npm run bench -- --cpu-prof`.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary <file.cpuprofile>');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function bucket(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const src = /\/(src|dist\/src)\/(.*)$/.exec(url);
  return src ? `app: ${src[2]!.split('/').slice(0, 2).join('/')}` : url;
}

const pkg = new Map<string, number>();
const fns = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const b = bucket(n.callFrame.url, n.callFrame.functionName);
  pkg.set(b, (pkg.get(b) ?? 0) + t);
  const f = `${n.callFrame.functionName || '(anonymous)'} ${b}:${n.callFrame.lineNumber}`;
  fns.set(f, (fns.get(f) ?? 0) + t);
}
// Native and Node-internal time charged to the first package or app frame that called it.
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const callers = new Map<string, number>();
for (const [id, t] of self) {
  let cur: number | undefined = id;
  let b = '(idle)';
  while (cur !== undefined) {
    const n = byId.get(cur)!;
    b = bucket(n.callFrame.url, n.callFrame.functionName);
    if (b !== '(native)' && b !== 'node internals') break;
    cur = parent.get(cur);
  }
  callers.set(b, (callers.get(b) ?? 0) + t);
}
const busy = total - (pkg.get('(idle)') ?? 0);
const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`total ${(total / 1e6).toFixed(1)} s sampled`);
console.log('-- self time by package');
for (const [k, t] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(t)}  ${k}`);
console.log('-- busy time, native and Node-internal work charged to its caller');
for (const [k, t] of [...callers]
  .filter(([k]) => k !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, 20))
  console.log(`${((t / busy) * 100).toFixed(1).padStart(5)}%  ${k}`);
console.log('-- top functions');
for (const [k, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${pct(t)}  ${k}`);
