// The policy files: the shipped ones load and say what they are; a bad file stops the start with a
// message naming the file and the field.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES_DIR, loadConfig } from '../../src/config.ts';
import { loadPolicies, PolicyError } from '../../src/modules/coverage/policy-registry.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CLINIC_ONLY = {
  id: 'clinic-only',
  version: 1,
  name: 'Clinic rules only',
  effectiveFrom: '2000-01-01',
  source: 'the clinic',
  checks: [],
};
const PAYER = {
  id: 'acme',
  version: 1,
  name: 'Acme (example)',
  effectiveFrom: '2027-01-01',
  source: 'https://example.org/acme-esi',
  checks: [{ code: 'C_MIN_INTERVAL_DAYS', days: 30 }],
};

/** A policy folder holding clinic-only plus the given files (name → content, objects as JSON). */
function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'policies-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'clinic-only.v1.json'), JSON.stringify(CLINIC_ONLY));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadPolicies(dir);
  } catch (err) {
    if (err instanceof PolicyError) return err.problems;
    throw err;
  }
  throw new Error('loaded without a problem');
}

describe('the shipped policies', () => {
  const registry = loadPolicies(DEFAULT_POLICIES_DIR);

  it('are the default folder of the configuration', () => {
    expect(loadConfig({}).policiesDir).toBe(DEFAULT_POLICIES_DIR);
    expect(loadConfig({ POLICIES_DIR: '/srv/policies' }).policiesDir).toBe('/srv/policies');
  });

  it('include clinic-only with no checks and at least three example payer profiles', () => {
    expect(registry.versionOn('clinic-only', '2027-01-01')?.checks).toEqual([]);
    const examples = registry.all().filter((p) => p.id !== 'clinic-only');
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const p of examples) {
      // Each says it is an example to check against the payer's current text, and cites its source.
      expect(p.name).toMatch(/example/i);
      expect(p.name).toMatch(/current/i);
      expect(p.source).toMatch(/https:\/\/\S+/);
      expect(p.checks.length).toBeGreaterThan(0);
    }
  });

  it('model the published limits they cite', () => {
    expect(registry.versionOn('medicare-lcd-esi-example', '2027-01-01')?.checks).toEqual(
      expect.arrayContaining([
        { code: 'C_CONSERVATIVE_DAYS', days: 28 },
        { code: 'C_MAX_PER_REGION', count: 4, windowDays: 365 },
        expect.objectContaining({ code: 'C_REPEAT_RELIEF', percent: 50 }),
      ]),
    );
    expect(registry.versionOn('utilization-management-esi-example', '2027-01-01')?.checks).toEqual(
      expect.arrayContaining([
        { code: 'C_MIN_INTERVAL_DAYS', days: 14 },
        { code: 'C_MAX_PER_REGION', count: 3, windowDays: 183 },
        { code: 'C_MAX_PER_REGION', count: 4, windowDays: 365 },
        { code: 'C_REPEAT_RELIEF', percent: 50, lastedDays: 14, windowDays: 365 },
      ]),
    );
    expect(registry.versionOn('commercial-esi-example', '2027-01-01')?.checks).toEqual(
      expect.arrayContaining([
        { code: 'C_MIN_INTERVAL_DAYS', days: 30 },
        { code: 'C_MAX_PER_REGION', count: 6, windowDays: 365 },
      ]),
    );
  });

  it('are every JSON file of the folder', () => {
    const files = readdirSync(DEFAULT_POLICIES_DIR).filter((n) => n.endsWith('.json'));
    expect(registry.all()).toHaveLength(files.length);
    for (const f of files) expect(JSON.parse(readFileSync(join(DEFAULT_POLICIES_DIR, f), 'utf8'))).toHaveProperty('checks');
  });
});

describe('loading a policy folder', () => {
  it('keeps every version of a policy and picks the one in effect on a date', () => {
    const dir = folder({
      'acme.v1.json': PAYER,
      'acme.v2.json': { ...PAYER, version: 2, effectiveFrom: '2027-07-01' },
      'README.md': '# notes',
    });
    const r = loadPolicies(dir);
    expect(r.versions('acme').map((v) => v.version)).toEqual([1, 2]);
    expect(r.versionOn('acme', '2027-06-30')?.version).toBe(1);
    expect(r.versionOn('acme', '2027-07-01')?.version).toBe(2);
    expect(r.all().map((p) => `${p.id}@${p.version}`)).toEqual(['acme@2', 'acme@1', 'clinic-only@1']);
    expect(r.has('acme')).toBe(true);
    expect(r.has('other')).toBe(false);
  });

  it.each([
    ['not JSON', 'acme.v1.json', '{"id": "acme",', /acme\.v1\.json: not valid JSON/],
    ['a missing field', 'acme.v1.json', { ...PAYER, source: undefined }, /acme\.v1\.json: source: /],
    ['an unknown check', 'acme.v1.json', { ...PAYER, checks: [{ code: 'C_MAGIC', days: 3 }] }, /acme\.v1\.json: checks\.0\.code: /],
    [
      'a bad parameter',
      'acme.v1.json',
      { ...PAYER, checks: [{ code: 'C_MIN_INTERVAL_DAYS', days: 2.5 }] },
      /acme\.v1\.json: checks\.0\.days: /,
    ],
    ['an unknown parameter', 'acme.v1.json', { ...PAYER, checks: [{ code: 'C_MIN_INTERVAL_DAYS', days: 3, weeks: 1 }] }, /checks\.0: /],
    [
      'a repeated single check',
      'acme.v1.json',
      { ...PAYER, checks: [PAYER.checks[0], { code: 'C_MIN_INTERVAL_DAYS', days: 7 }] },
      /acme\.v1\.json: checks\.1\.code: C_MIN_INTERVAL_DAYS may appear only once/,
    ],
    ['a bad date', 'acme.v1.json', { ...PAYER, effectiveFrom: '2027-02-30' }, /acme\.v1\.json: effectiveFrom: /],
    ['an id unlike its file name', 'acme.v1.json', { ...PAYER, id: 'acme-plus' }, /acme\.v1\.json: id: "acme-plus" differs/],
    ['a version unlike its file name', 'acme.v1.json', { ...PAYER, version: 2 }, /acme\.v1\.json: version: 2 differs/],
    ['a badly named file', 'acme.json', PAYER, /acme\.json: the file must be named <id>\.v<version>\.json/],
  ])('refuses %s, naming the file and the field', (_what, name, content, message) => {
    const problems = problemsOf(folder({ [name]: content }));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('refuses a later version taking effect before the one it replaces', () => {
    const dir = folder({ 'acme.v1.json': PAYER, 'acme.v2.json': { ...PAYER, version: 2, effectiveFrom: '2026-12-31' } });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/acme\.v2\.json: effectiveFrom: 2026-12-31 is before version 1's 2027-01-01/)]);
  });

  it('needs clinic-only, the default policy, and a readable folder', () => {
    const dir = folder({ 'acme.v1.json': PAYER });
    rmSync(join(dir, 'clinic-only.v1.json'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/clinic-only\.v1\.json: missing/)]);
    expect(problemsOf(join(dir, 'nowhere'))).toEqual([expect.stringMatching(/nowhere: cannot read the folder \(ENOENT\)/)]);
  });

  it('states every problem at once in its message', () => {
    const dir = folder({ 'acme.v1.json': { ...PAYER, name: '' }, 'beta.v1.json': '[' });
    expect(() => loadPolicies(dir)).toThrow(
      /Invalid coverage policies:\n {2}- .*acme\.v1\.json: name: [^\n]*\n {2}- .*beta\.v1\.json: not valid JSON/,
    );
  });
});
