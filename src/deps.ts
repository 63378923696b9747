import type { Config } from './config.ts';
import type { Database } from './db/prisma.ts';
import type { PolicyRegistry } from './modules/coverage/policy-registry.ts';

/** What every route module receives. */
export interface Deps {
  db: Database;
  config: Config;
  clock: () => Date;
  /** The payer coverage policies, read once at start. */
  policies: PolicyRegistry;
}
