// Database administration shared by the test suites' set-ups: naming databases on the run's server,
// refusing a server whose database is not a test one, and cloning/dropping from a template.
import pg from 'pg';

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** `url` logging in as `role` with `password` instead. */
export function withRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Creates (or resets the password of) a role that may log in and nothing else: the serving role the
 * suites' apps run as, so every API test also proves the migration runner's grants suffice.
 */
export async function ensureServingRole(admin: pg.Client, role: string, password: string): Promise<void> {
  const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = exists.rowCount ? 'ALTER' : 'CREATE';
  await admin.query(`${verb} ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD ${admin.escapeLiteral(password)}`);
}

/** Tests create and drop databases: refuse to run against one whose name does not say it is for tests. */
export function assertTestServerUrl(url: string): void {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.includes('test')) throw new Error(`Refusing to run tests against database "${name}": its name must contain "test"`);
}

/** Runs work on a short-lived connection to the server. */
export async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Creates `name` from `template` and returns its URL and how to drop it. */
export async function cloneDatabase(
  serverUrl: string,
  template: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: withDatabase(serverUrl, name),
    drop: () => withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
