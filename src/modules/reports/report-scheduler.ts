import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/prisma.ts';

/** Placeholder until the nightly report lands: nothing is scheduled. */
export function startReportScheduler(_opts: { db: Database; config: Config; log: Logger }): { stop(): void } {
  return { stop() {} };
}
