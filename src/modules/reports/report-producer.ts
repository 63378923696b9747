// Produces a report as a recorded run: the run row is written first ('running'), then the report is
// built, written to files when a folder is given, and the run is finished with its totals and hash
// (or marked failed with a code and a message that quote nothing of the error: report-failure.ts).
// Used by the CLI and the scheduler.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Database } from '../../db/prisma.ts';
import { APP_VERSION } from '../../version.ts';
import { writeAudit } from '../audit/audit.repository.ts';
import { csvRecords } from './report-csv.ts';
import { describeReportFailure, failureText } from './report-failure.ts';
import { batched, prettyChunks } from './report-json.ts';
import { failRun, finishRun, insertRun, type RunTrigger } from './report-runs.repository.ts';
import { buildDailyReport } from './report.service.ts';
import type { DailyReportT, ReportRunDtoT } from './report.schemas.ts';

/** Audit events of runs nobody requested over HTTP name this system actor. */
export const REPORT_SYSTEM_ACTOR_ID = '00000000-0000-4000-8000-00000000e5a1';

export const reportFileNames = (date: string) => ({ json: `esi-report-${date}.json`, csv: `esi-report-${date}.csv` });

function* withNewline(chunks: Iterable<string>): Generator<string> {
  yield* chunks;
  yield '\n';
}

/** Writes esi-report-DATE.json and .csv; each appears complete or not at all (write, then rename). */
export async function writeReportFiles(report: DailyReportT, dir: string): Promise<string[]> {
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  const names = reportFileNames(report.meta.date);
  const json = join(folder, names.json);
  const csv = join(folder, names.csv);
  const tmp = (p: string) => `${p}.${process.pid}.tmp`;
  try {
    // Exactly JSON.stringify(report, null, 2) and a newline, written piece by piece.
    await pipeline(Readable.from(batched(withNewline(prettyChunks(report)))), createWriteStream(tmp(json), { mode: 0o640 }));
    await pipeline(Readable.from(csvRecords(report)), stringify(), createWriteStream(tmp(csv), { mode: 0o640 }));
    await rename(tmp(json), json);
    await rename(tmp(csv), csv);
  } catch (err) {
    await Promise.all([rm(tmp(json), { force: true }), rm(tmp(csv), { force: true })]);
    throw err;
  }
  return [json, csv];
}

export interface ProduceOptions {
  date: string;
  zone: string;
  trigger: RunTrigger;
  now: Date;
  outDir?: string | undefined;
}

export interface Produced {
  run: ReportRunDtoT;
  report: DailyReportT;
  files: string[];
}

/** Records the run, builds the report, writes files, finishes the run. `runId` lets the scheduler
 * insert the row itself (its uniqueness guard) and hand it over. */
export async function produceReport(db: Database, opts: ProduceOptions, runId?: string): Promise<Produced> {
  const id = runId ?? (await insertRun(db.pool, opts.date, opts.trigger, APP_VERSION));
  try {
    const report = await buildDailyReport(db.reportPool, { date: opts.date, zone: opts.zone, now: opts.now });
    const files = opts.outDir ? await writeReportFiles(report, opts.outDir) : [];
    const run = await finishRun(db.pool, id, report.totals, report.meta.contentHash);
    // The report lists patients' MRNs: producing it is a read of patient data like any other.
    await writeAudit(
      db.prisma,
      { actor: { id: REPORT_SYSTEM_ACTOR_ID, name: `report-${opts.trigger}`, role: 'admin' }, requestId: `report-run-${id}` },
      {
        action: 'report.generate',
        entityType: 'report',
        entityId: opts.date,
        after: { date: opts.date, runId: id, trigger: opts.trigger, files },
      },
    );
    return { run, report, files };
  } catch (err) {
    await failRun(db.pool, id, failureText(describeReportFailure(err))).catch(() => undefined);
    throw err;
  }
}
