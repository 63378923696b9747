// Lighthouse (desktop preset) on the dashboard's Today and Patient views, signed in, against the real
// server on a fresh database with one seeded patient. Prints performance, accessibility and
// best-practices scores; it asserts nothing (scores vary with the machine's load).
//   npm run lighthouse                      (DATABASE_URL's server when set, else an embedded PostgreSQL)
//   LIGHTHOUSE_JSON=dir npm run lighthouse  (also writes each full report as JSON there)
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import pg from 'pg';
import puppeteer from 'puppeteer-core';
import { startServer } from '../test/e2e/helpers/server.ts';
import { api, clinicToday, plusDays, seedConsultation, seedInjection, seedPatient } from '../test/e2e/helpers/seed.ts';

const ZONE = 'America/New_York';
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;

async function main(): Promise<void> {
  const adminKey = `lh-admin-${randomBytes(16).toString('hex')}`;
  const env: Record<string, string> = { ADMIN_API_KEY: adminKey, REPORT_SCHEDULER: 'off', CLINIC_TIMEZONE: ZONE, LOG_LEVEL: 'warn' };
  let cleanup: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const name = `esi_lighthouse_${randomBytes(4).toString('hex')}_test`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'esi-lighthouse-'));
    await chmod(dir, 0o755);
    env.DATA_DIR = join(dir, 'data');
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  const server = await startServer(env);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const a = api(server.baseUrl, adminKey);
    const today = clinicToday(ZONE);
    const p = await seedPatient(a, { givenName: 'Lena', familyName: 'Lighthouse', careStartedOn: plusDays(today, -200) });
    await seedConsultation(a, p, 3);
    await seedInjection(a, p, ZONE, plusDays(today, -60), { outcome: [8, 3] });
    await seedInjection(a, p, ZONE, plusDays(today, -30), { outcome: [6, 2] });
    await seedInjection(a, p, ZONE, today, { time: '10:30' });

    const page = await browser.newPage();
    // Sign in the way a user does; the key stays in this tab's sessionStorage, which Lighthouse keeps
    // (disableStorageReset) because it audits this same tab.
    await page.goto(`${server.baseUrl}/`);
    await page.evaluate(`window.sessionStorage.setItem('esi.apiKey', ${JSON.stringify(adminKey)})`);
    const rows: Record<string, Record<string, number>> = {};
    for (const [view, path] of [
      ['Today', '/app/today'],
      ['Patient', `/app/patients/${p.id}`],
    ] as const) {
      const result = await lighthouse(
        `${server.baseUrl}${path}`,
        { output: 'json', logLevel: 'error', disableStorageReset: true, onlyCategories: [...CATEGORIES] },
        desktopConfig,
        page,
      );
      if (!result) throw new Error(`Lighthouse returned nothing for ${view}`);
      const lhr = result.lhr;
      rows[view] = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
      const failing = Object.values(lhr.audits)
        .filter((x) => x.score !== null && x.score < 1 && x.scoreDisplayMode !== 'informative' && x.scoreDisplayMode !== 'manual')
        .map((x) => x.id);
      if (failing.length) rows[view].failingAudits = failing.length;
      if (process.env.LIGHTHOUSE_JSON) {
        await mkdir(process.env.LIGHTHOUSE_JSON, { recursive: true });
        await writeFile(join(process.env.LIGHTHOUSE_JSON, `${view.toLowerCase()}.json`), JSON.stringify(lhr, null, 2));
      }
      process.stdout.write(`${view}: ${CATEGORIES.map((c) => `${c} ${rows[view]?.[c]}`).join(', ')}\n`);
      if (failing.length) process.stdout.write(`  audits below full marks: ${failing.join(', ')}\n`);
    }
  } finally {
    await browser.close();
    await server.stop();
    await cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
