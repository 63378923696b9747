// The image can't be built on this offline machine, so its recipe is checked as text (SPEC §8): the
// build context leaves out .env files and .git, the final stage runs as a user that is not root and
// takes its node_modules from a stage that installed production dependencies only, and compose passes
// the secrets as files and serves as a role other than the owner.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');

/** Docker's ignore rules reduced to what the file uses: exact names, `*` globs, `!` exceptions. */
function ignored(patterns: string[], path: string): boolean {
  let out = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const p = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
    if (re.test(path)) out = !negate;
  }
  return out;
}

function stages(dockerfile: string): { name: string; lines: string[] }[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const out: { name: string; lines: string[] }[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) out.push({ name: /\sAS\s+(\S+)/i.exec(line)?.[1] ?? String(out.length), lines: [line] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

describe('the container image', () => {
  it('leaves .env files, .git and local data out of the build context', () => {
    const patterns = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const path of [
      '.env',
      '.env.local',
      '.env.production',
      '.git',
      '.git/config',
      'secrets/admin_api_key',
      '.data/admin-api-key',
      'node_modules/x',
    ]) {
      expect(ignored(patterns, path), path).toBe(true);
    }
    for (const path of ['src/server.ts', 'package.json', 'package-lock.json', 'prisma/schema.prisma', 'web/src/main.tsx']) {
      expect(ignored(patterns, path), path).toBe(false);
    }
  });

  it('is a multi-stage build whose final stage runs as a user that is not root', () => {
    const all = stages(read('Dockerfile'));
    expect(all.length).toBeGreaterThanOrEqual(2);
    const final = all.at(-1)!;
    const users = final.lines.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]!);
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.split(':')[0]!;
    expect(['root', '0']).not.toContain(user);
    // Nothing after the USER switches back.
    expect(final.lines.slice(final.lines.findIndex((l) => /^USER\s/i.test(l))).filter((l) => /^USER\s+(root|0)\b/i.test(l))).toEqual([]);
  });

  it('ships production dependencies only: node_modules come from an `npm ci --omit=dev` stage', () => {
    const all = stages(read('Dockerfile'));
    const final = all.at(-1)!;
    const copies = final.lines.filter((l) => /^COPY\s+--from=\S+\s+\S*node_modules/i.test(l));
    expect(copies).toHaveLength(1);
    const from = /--from=(\S+)/.exec(copies[0]!)![1]!;
    const source = all.find((s) => s.name === from)!;
    expect(source.lines.some((l) => /npm ci\b.*--omit=dev/.test(l))).toBe(true);
    expect(final.lines.filter((l) => /\bnpm (ci|install|i)\b/.test(l))).toEqual([]);
    expect(final.lines.some((l) => /^ENV\s.*NODE_ENV=production/.test(l))).toBe(true);
  });

  it('compose passes the admin key and database URLs as secret files, serving as a role other than the owner', () => {
    const compose = read('docker-compose.yml');
    expect(compose).toMatch(/ADMIN_API_KEY_FILE: \/run\/secrets\/admin_api_key/);
    expect(compose).not.toMatch(/^\s*ADMIN_API_KEY:/m);
    expect(compose).toMatch(/DATABASE_URL_FILE: \/run\/secrets\/database_url/);
    expect(compose).toMatch(/DATABASE_OWNER_URL_FILE: \/run\/secrets\/database_owner_url/);
    expect(compose).toMatch(/postgresql:\/\/esi_app:.*database_url/);
    expect(compose).toMatch(/postgresql:\/\/esi_owner:.*database_owner_url/);
    const init = read('docker/initdb/10-esi-roles.sh');
    expect(init).toMatch(/CREATE ROLE esi_app LOGIN NOSUPERUSER/);
    expect(init).toMatch(/ALTER DATABASE esi OWNER TO esi_owner/);
  });
});
