// The one place that reads the environment. Every variable of SPEC §4 is parsed here with zod; a bad
// value stops the process with a message naming each offending variable.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { loadCdsClients } from './modules/cds-hooks/cds-jwt.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/./.test(v) && URL.canParse(v), 'must be a postgres:// or postgresql:// URL');

const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  // The role that owns the schema and runs migrations; unset: DATABASE_URL's role does both (SPEC §8).
  DATABASE_OWNER_URL: postgresUrl.optional(),
  DATABASE_READ_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  CLINIC_TIMEZONE: z
    .string()
    .default('America/New_York')
    .refine((v) => IANAZone.isValidZone(v), 'must be an IANA time zone name such as America/New_York'),
  // A bearer token (RFC 6750 b64token): any other character could never be sent in the header.
  ADMIN_API_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .max(200, 'must be at most 200 characters')
    .regex(/^[A-Za-z0-9_\-.~+/=]+$/, 'must use only letters, digits and - . _ ~ + / =')
    .optional(),
  // Keys the idempotency request hashes (HMAC); every instance on one database must share it.
  SERVER_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .max(200, 'must be at most 200 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces')
    .optional(),
  // Requests per minute per API key (per instance); 0 turns the limit off.
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  // Serve key lookups from memory while LISTENing for key changes; off behind a transaction pooler.
  API_KEY_CACHE: z.enum(['on', 'off']).default('on'),
  // Files holding secrets (container secrets), read at start; each exclusive with its variable.
  ADMIN_API_KEY_FILE: z.string().min(1).optional(),
  DATABASE_URL_FILE: z.string().min(1).optional(),
  DATABASE_OWNER_URL_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  REPORT_SCHEDULER: z.enum(['on', 'off']).default('on'),
  REPORT_DIR: z.string().min(1).optional(),
  // Interoperability (SPEC §6): the base URL the dashboard and the CDS service are reached at (links
  // in cards, the JWT audience), the CDS clients file, and the CPT codes that make an appointment an ESI.
  PUBLIC_URL: z
    .string()
    .refine((v) => /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(v) && URL.canParse(v), 'must be an http(s) URL without query or fragment')
    .optional(),
  CDS_CLIENTS_FILE: z.string().min(1).optional(),
  CDS_ESI_CODES: z
    .string()
    .regex(/^\s*[0-9A-Za-z]{4,10}(\s*,\s*[0-9A-Za-z]{4,10})*\s*$/, 'must be a comma-separated list of CPT codes such as 62321,64483')
    .optional(),
  // TCP port of the embedded PostgreSQL (loopback only); taken when free, else any free port.
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  POLICIES_DIR: z.string().min(1).optional(),
});

/** The coverage policies shipped with the service (`policies/` beside `src/`, also in a build's dist/). */
export const DEFAULT_POLICIES_DIR = fileURLToPath(new URL('../policies', import.meta.url));

export type Env = z.infer<typeof envSchema>;

/** Variables that may instead be read from the file named by `<NAME>_FILE` (Docker/Compose secrets). */
const SECRET_FILE_VARIABLES = ['ADMIN_API_KEY', 'DATABASE_URL', 'DATABASE_OWNER_URL'] as const;

export interface Config {
  databaseUrl: string | undefined;
  databaseOwnerUrl: string | undefined;
  databaseReadUrl: string | undefined;
  databasePoolSize: number;
  host: string;
  port: number;
  clinicTimeZone: string;
  adminApiKey: string | undefined;
  serverSecret: string | undefined;
  rateLimitPerMinute: number;
  apiKeyCache: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  dataDir: string;
  reportScheduler: boolean;
  reportDir: string | undefined;
  /** Where clients reach this service, without a trailing slash (default http://HOST:PORT). */
  publicUrl: string;
  /** A JSON file listing the EHRs allowed to call the CDS service with a signed JWT (none when unset). */
  cdsClientsFile: string | undefined;
  /** CPT codes that make a proposed appointment an epidural steroid injection. */
  cdsEsiCodes: readonly string[];
  embeddedPgPort: number;
  /** Folder of the payer coverage policy files (SPEC §5). */
  policiesDir: string;
}

export const DEFAULT_ESI_CODES = ['62321', '62323', '64479', '64480', '64483', '64484'] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; empty strings count as unset so `.env` templates with blanks work. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned: Record<string, string | undefined> = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const problems: string[] = [];
  const fromFile = new Set<string>();
  for (const name of SECRET_FILE_VARIABLES) {
    const file = cleaned[`${name}_FILE`];
    if (file === undefined) continue;
    if (cleaned[name] !== undefined) {
      problems.push(`${name}_FILE: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      cleaned[name] = readFileSync(file, 'utf8').trim();
      fromFile.add(name);
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    problems.push(
      ...parsed.error.issues.map((i) => {
        const name = i.path.join('.') || '(env)';
        // A secret's own value is never echoed; say where it came from.
        return fromFile.has(name) ? `${name} (from ${name}_FILE): ${i.message}` : `${name}: ${i.message}`;
      }),
    );
  }
  if (parsed.success && parsed.data.DATABASE_OWNER_URL && !parsed.data.DATABASE_URL) {
    problems.push('DATABASE_OWNER_URL: needs DATABASE_URL too (the serving role); the embedded database sets up both roles itself');
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  if (e.CDS_CLIENTS_FILE) {
    try {
      loadCdsClients(e.CDS_CLIENTS_FILE);
    } catch (err) {
      throw new ConfigError([err instanceof Error ? err.message : `CDS_CLIENTS_FILE: cannot be read`]);
    }
  }
  return {
    databaseUrl: e.DATABASE_URL,
    databaseOwnerUrl: e.DATABASE_OWNER_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    host: e.HOST,
    port: e.PORT,
    clinicTimeZone: e.CLINIC_TIMEZONE,
    adminApiKey: e.ADMIN_API_KEY,
    serverSecret: e.SERVER_SECRET,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    apiKeyCache: e.API_KEY_CACHE === 'on',
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    reportScheduler: e.REPORT_SCHEDULER === 'on',
    reportDir: e.REPORT_DIR,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    cdsClientsFile: e.CDS_CLIENTS_FILE,
    cdsEsiCodes: e.CDS_ESI_CODES ? [...new Set(e.CDS_ESI_CODES.split(',').map((c) => c.trim()))] : [...DEFAULT_ESI_CODES],
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    policiesDir: e.POLICIES_DIR ?? DEFAULT_POLICIES_DIR,
  };
}
