// Bulk loading is fastest into bare tables: record the definitions of the secondary indexes, foreign
// keys and exclusion constraints of the tables being loaded, drop them, and re-create them afterwards.
// Definitions are read from the catalog, so whatever the migrations declare comes back exactly.
import type pg from 'pg';

export interface SavedStructures {
  recreate: { label: string; sql: string }[];
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

export async function dropSecondaryStructures(client: pg.Client, tables: string[]): Promise<SavedStructures> {
  // Constraints that own an index (exclusion, unique-as-constraint) and foreign keys; primary keys stay.
  const cons = await client.query<{ tbl: string; name: string; def: string; contype: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def, c.contype
       FROM pg_constraint c WHERE c.conrelid = ANY($1::regclass[]) AND c.contype IN ('f', 'x', 'u')`,
    [tables],
  );
  const idx = await client.query<{ tbl: string; name: string; def: string }>(
    `SELECT i.indrelid::regclass::text AS tbl, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('x', 'u', 'p'))`,
    [tables],
  );
  for (const c of cons.rows) await client.query(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${q(c.name)}`);
  for (const i of idx.rows) await client.query(`DROP INDEX ${q(i.name)}`);
  // Indexes first (foreign-key checks and the exclusion constraint then find their indexes ready).
  const order = (t: string) => (t === 'x' ? 1 : t === 'u' ? 0 : 2);
  return {
    recreate: [
      ...idx.rows.map((i) => ({ label: `index ${i.name}`.slice(0, 40), sql: i.def })),
      ...[...cons.rows]
        .sort((a, b) => order(a.contype) - order(b.contype))
        .map((c) => ({ label: `constraint ${c.name}`.slice(0, 40), sql: `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def}` })),
    ],
  };
}
