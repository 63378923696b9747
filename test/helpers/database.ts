import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { cloneDatabase } from './pg-admin.ts';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function cloneTestDatabase(): Promise<TestDatabase> {
  const template = inject('templateDb');
  const name = `${template}_f_${randomBytes(6).toString('hex')}`;
  const clone = await cloneDatabase(inject('serverUrl'), template, name);
  return { ...clone, name };
}
