// CDS Hooks client authentication (CDS Hooks 2.0, "Security and Safety" > "Trusting CDS Clients"): the
// EHR signs a JWT per call; the service checks the signature against the issuer's configured JWK Set,
// `iss`, `aud` (this service's URL), `exp`/`iat`, and that the `jti` was not used before. Verified with
// `jose`. Issuers and keys come only from CDS_CLIENTS_FILE: a `jku` header is never followed, so a token
// cannot name its own keys. Symmetric and `none` algorithms are refused, as the specification requires.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { ROLES, type Role } from '../../plugins/access-policy.ts';
import type { Actor } from '../../plugins/auth.plugin.ts';

/** Asymmetric JWS algorithms only (the specification forbids `none` and HMAC). */
export const CDS_JWT_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];
const CLOCK_TOLERANCE_S = 30;
/** Tokens are minted per call; one issued longer ago than this is refused even if not yet expired. */
const MAX_TOKEN_AGE = '1h';

const Jwk = z.looseObject({ kty: z.enum(['RSA', 'EC', 'OKP']) }).refine((k) => !('d' in k), 'must be a public key (it holds "d")');

const ClientsFile = z.strictObject({
  clients: z
    .array(
      z
        .strictObject({
          name: z.string().regex(/^[A-Za-z0-9._-]{1,60}$/, 'must be 1-60 letters, digits, . _ -'),
          issuer: z.string().min(1).max(500),
          jwks: z.strictObject({ keys: z.array(Jwk).min(1).max(20) }).optional(),
          jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
          role: z.enum(ROLES).default('front_desk'),
        })
        .refine((c) => (c.jwks === undefined) !== (c.jwksUrl === undefined), 'give exactly one of jwks and jwksUrl'),
    )
    .max(50),
});

export interface CdsClient {
  name: string;
  issuer: string;
  role: Role;
  /** A stable actor id for the audit trail, derived from the issuer. */
  actorId: string;
  keys: JWTVerifyGetKey;
}

/** A UUID-shaped id from a SHA-256 of the issuer, so audit events of one EHR share an actor id. */
function actorIdOf(issuer: string): string {
  const h = createHash('sha256').update(`cds-client:${issuer}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class CdsClientsFileError extends Error {
  constructor(file: string, problem: string) {
    super(`CDS_CLIENTS_FILE ${file}: ${problem}`);
    this.name = 'CdsClientsFileError';
  }
}

/** Reads and checks the clients file; a bad file stops the start with a message naming it. */
export function loadCdsClients(file: string): CdsClient[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CdsClientsFileError(file, err instanceof SyntaxError ? `is not valid JSON (${err.message})` : 'cannot be read');
  }
  const parsed = ClientsFile.safeParse(raw);
  if (!parsed.success) {
    throw new CdsClientsFileError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'} ${i.message}`).join('; '));
  }
  const issuers = new Set<string>();
  return parsed.data.clients.map((c) => {
    if (issuers.has(c.issuer)) throw new CdsClientsFileError(file, `issuer ${c.issuer} is listed twice`);
    issuers.add(c.issuer);
    const keys = c.jwks ? createLocalJWKSet(c.jwks) : createRemoteJWKSet(new URL(c.jwksUrl ?? ''), { timeoutDuration: 3000 });
    return { name: c.name, issuer: c.issuer, role: c.role, actorId: actorIdOf(c.issuer), keys };
  });
}

export class CdsJwtRejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CdsJwtRejected';
  }
}

/** Records a jti until it expires; false when it was already recorded (a replay). */
export type JtiStore = (issuer: string, jti: string, expiresAt: Date) => Promise<boolean>;

/** A compact JWS: three base64url segments. */
export const looksLikeJwt = (token: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

/** Verifies a CDS client's JWT for `audience`; returns the client or throws CdsJwtRejected with a reason
 * safe to show the caller (no key material, no token content beyond the issuer's being unknown). */
export async function verifyCdsJwt(token: string, clients: readonly CdsClient[], audience: string, seen: JtiStore): Promise<CdsClient> {
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw new CdsJwtRejected('The bearer token is not a valid JWT');
  }
  const client = clients.find((c) => c.issuer === issuer);
  if (!client) throw new CdsJwtRejected('The JWT issuer is not a registered CDS client');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, client.keys, {
      issuer: client.issuer,
      audience,
      algorithms: CDS_JWT_ALGORITHMS,
      typ: 'JWT',
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_TOKEN_AGE,
    }));
  } catch (err) {
    throw new CdsJwtRejected(rejection(err));
  }
  const jti = payload.jti ?? '';
  if (jti.length < 1 || jti.length > 255) throw new CdsJwtRejected('The JWT jti must be 1-255 characters');
  const expiresAt = new Date(((payload.exp ?? 0) + CLOCK_TOLERANCE_S) * 1000);
  if (!(await seen(client.issuer, jti, expiresAt))) throw new CdsJwtRejected('The JWT was already used (jti replayed)');
  return client;
}

function rejection(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'The JWT has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `The JWT claim ${err.claim} is not valid (${err.reason})`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'The JWT signature does not verify';
  if (err instanceof errors.JWKSNoMatchingKey) return 'No key of the issuer matches the JWT';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'The JWT algorithm is not allowed (asymmetric algorithms only)';
  if (err instanceof errors.JWKSTimeout) return "The issuer's key set could not be fetched in time";
  return 'The JWT is not valid';
}

/** The auth plugin's second bearer kind: CDS Hooks JWTs on the CDS service routes, `aud` being the
 * called service's URL under PUBLIC_URL. A token that is not a JWT at all is left to the API-key check. */
export function cdsJwtBearer(clients: readonly CdsClient[], publicUrl: string, seen: JtiStore) {
  return {
    applies: (routeUrl: string) => routeUrl.startsWith('/cds-services/'),
    async verify(token: string, routeUrl: string): Promise<Actor | { failure: string } | null> {
      try {
        decodeProtectedHeader(token);
        decodeJwt(token);
      } catch {
        return null;
      }
      try {
        const client = await verifyCdsJwt(token, clients, `${publicUrl}${routeUrl}`, seen);
        return { id: client.actorId, name: `cds:${client.name}`, role: client.role };
      } catch (err) {
        if (err instanceof CdsJwtRejected) return { failure: err.message };
        throw err;
      }
    },
  };
}
