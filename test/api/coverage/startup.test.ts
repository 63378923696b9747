// The real server process refuses to start on a bad policy file, naming the file and the field, before
// it touches the database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bad-policies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('starting with a bad policy file', () => {
  it('exits with a message naming the file and the field', () => {
    writeFileSync(
      join(dir, 'clinic-only.v1.json'),
      JSON.stringify({ id: 'clinic-only', version: 1, name: 'x', effectiveFrom: '2000-01-01', source: 'x', checks: [] }),
    );
    const bad = {
      id: 'acme',
      version: 1,
      name: 'Acme',
      effectiveFrom: '2027-01-01',
      source: 'x',
      checks: [{ code: 'C_MAX_PER_REGION', count: 0, windowDays: 365 }],
    };
    writeFileSync(join(dir, 'acme.v1.json'), JSON.stringify(bad));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      // An address nothing listens on: the start must fail on the policies before it tries the database.
      env: {
        ...process.env,
        POLICIES_DIR: dir,
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/test_unused',
        PORT: '0',
        REPORT_SCHEDULER: 'off',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain(`${join(dir, 'acme.v1.json')}: checks.0.count:`);
  });
});
