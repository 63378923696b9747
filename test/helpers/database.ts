import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { cloneDatabase, withDatabase } from './pg-admin.ts';

export interface TestDatabase {
  /** As the owner (the set-up's role): for tests that arrange or tamper with rows behind the app. */
  url: string;
  /** As the serving role the apps run as. */
  servingUrl: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function cloneTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDb');
  const name = `${template}_f_${randomBytes(6).toString('hex')}`;
  const clone = await cloneDatabase(inject('serverUrl'), template, name);
  return { ...clone, servingUrl: withDatabase(inject('servingServerUrl'), name), name };
}
