// The two database roles of SPEC §8. The owner role owns the schema and runs the migrations; the
// serving role runs the server's queries and owns nothing. After every migration run the owner grants
// the serving role exactly what the service needs, computed over every table present (so tables of
// later migrations are covered), then takes back what would let it rewrite the append-only tables.
import type pg from 'pg';

/** Tables whose rows are never changed or removed once written; the serving role may only add rows. */
export const APPEND_ONLY_TABLES = ['audit_events', 'audit_seals'] as const;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The user name a postgres:// URL logs in as ('' when it names none). */
export function urlUser(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** The serving role's name when it differs from the owner's; undefined when one role does both. */
export function servingRoleOf(ownerUrl: string, servingUrl: string): string | undefined {
  const serving = urlUser(servingUrl);
  const owner = urlUser(ownerUrl);
  return serving && serving !== owner ? serving : undefined;
}

/**
 * Grants `role` what the service needs in the current database's public schema: read and write on every
 * table and sequence, minus UPDATE/DELETE/TRUNCATE on the append-only tables and any write to the
 * migration bookkeeping. Idempotent; runs in the caller's session (as the owner).
 */
export async function grantServingRole(client: pg.Client | pg.PoolClient, role: string): Promise<void> {
  const r = quoteIdent(role);
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (!exists.rowCount) throw new Error(`The serving role "${role}" does not exist: create it (LOGIN, nothing else) first`);
  const present = await client.query<{ t: string }>(
    `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])`,
    [[...APPEND_ONLY_TABLES, '_prisma_migrations']],
  );
  const has = new Set(present.rows.map((x) => x.t));
  const statements = [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    `REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${r}`,
    ...APPEND_ONLY_TABLES.filter((t) => has.has(t)).map((t) => `REVOKE UPDATE, DELETE, TRUNCATE ON ${quoteIdent(t)} FROM ${r}`),
    // It may read which migrations ran (a start checks them) but never record one.
    ...(has.has('_prisma_migrations') ? [`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_prisma_migrations" FROM ${r}`] : []),
  ];
  for (const sql of statements) await client.query(sql);
}

export interface AuditTrailExposure {
  /** True when the role the queries run as could rewrite or empty the audit trail. */
  exposed: boolean;
  reasons: string[];
}

/**
 * Whether the role behind `q` could alter the audit trail: a superuser, a member of the table's owner
 * (owners may disable triggers), or holding UPDATE/DELETE/TRUNCATE on an append-only table.
 */
export async function auditTrailExposure(q: Pick<pg.Pool, 'query'>): Promise<AuditTrailExposure> {
  const { rows } = await q.query<{ t: string; superuser: boolean; owner: boolean; writes: boolean }>(
    `SELECT c.relname AS t,
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owner,
            (has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE')) AS writes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY($1::text[])
      ORDER BY c.relname`,
    [[...APPEND_ONLY_TABLES]],
  );
  const reasons: string[] = [];
  if (rows.some((x) => x.superuser)) reasons.push('the serving database role is a superuser');
  for (const x of rows) {
    if (x.owner) reasons.push(`the serving database role owns ${x.t}`);
    else if (x.writes && !x.superuser) reasons.push(`the serving database role may update or delete ${x.t}`);
  }
  return { exposed: reasons.length > 0, reasons };
}
