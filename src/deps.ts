import type { Config } from './config.ts';
import type { Database } from './db/prisma.ts';

/** What every route module receives. */
export interface Deps {
  db: Database;
  config: Config;
  clock: () => Date;
}
