// CDS Hooks client authentication with JWTs signed by keys generated here: a good token is accepted and
// audited under its client; a wrong signature, audience or issuer, an expired token, a symmetric
// algorithm, a missing jti and a replayed jti (also on a second instance) are 401.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { createTestApp, factories, type TestApp } from '../../helpers/app.ts';
import { secondInstance, sqlClient } from '../access/support.ts';

const PUBLIC_URL = 'https://esi.clinic.example';
const SERVICE = '/cds-services/esi-appointment-check';
const AUDIENCE = `${PUBLIC_URL}${SERVICE}`;
const ISSUER = 'https://ehr.example.org/';
let t: TestApp;
let sql: pg.Client;
let dir: string;
let ehrKey: CryptoKey;
let otherKey: CryptoKey;
let patientId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cds-clients-'));
  const pair = await generateKeyPair('ES384');
  ehrKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES384')).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'ehr-1', alg: 'ES384', use: 'sig' };
  writeFileSync(
    join(dir, 'clients.json'),
    JSON.stringify({ clients: [{ name: 'test-ehr', issuer: ISSUER, jwks: { keys: [publicJwk] } }] }),
  );
  t = await createTestApp({ now: '2027-03-02T15:00:00Z', env: { PUBLIC_URL, CDS_CLIENTS_FILE: join(dir, 'clients.json') } });
  sql = await sqlClient(t);
  patientId = (await factories(t.app).patientWithEpisode()).patientId;
});
afterAll(async () => {
  await sql.end();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = () => Math.floor(Date.now() / 1000);

async function token(over: { claims?: JWTPayload; key?: CryptoKey; kid?: string; omit?: string[]; alg?: string } = {}): Promise<string> {
  const claims: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 300,
    jti: randomUUID(),
    tenant: 'clinic-1',
    ...over.claims,
  };
  for (const k of over.omit ?? []) delete claims[k];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: over.alg ?? 'ES384', typ: 'JWT', kid: over.kid ?? 'ehr-1' })
    .sign(over.key ?? ehrKey);
}

const body = () => ({
  hook: 'appointment-book',
  hookInstance: randomUUID(),
  context: {
    userId: 'PractitionerRole/1',
    patientId,
    appointments: [
      {
        resourceType: 'Appointment',
        status: 'proposed',
        serviceType: [{ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '64483' }] }],
        start: '2027-03-09T10:00:00-05:00',
      },
    ],
  },
});

async function callWith(jwt: string, app = t.app) {
  const res = await app.inject({ method: 'POST', url: SERVICE, headers: { authorization: `Bearer ${jwt}` }, payload: body() });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

describe('a CDS client JWT', () => {
  it('signed by the registered key, for this service, unexpired and fresh: 200, audited under the client', async () => {
    const res = await callWith(await token());
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('cards');
    const rows = await sql.query<{ actorName: string; actorRole: string; actorId: string }>(
      'SELECT "actorName", "actorRole", "actorId" FROM audit_events WHERE "requestId" = $1',
      [res.headers['x-request-id']],
    );
    expect(rows.rowCount).toBeGreaterThan(0);
    for (const r of rows.rows) expect(r).toMatchObject({ actorName: 'cds:test-ehr', actorRole: 'front_desk' });
    expect(new Set(rows.rows.map((r) => r.actorId)).size).toBe(1);
  });

  it.each([
    ['a wrong signature', /signature/, () => token({ key: otherKey })],
    ['a wrong audience', /aud/, () => token({ claims: { aud: `${PUBLIC_URL}/cds-services` } })],
    ['another host in the audience', /aud/, () => token({ claims: { aud: `https://other.example${SERVICE}` } })],
    ['an expired token', /expired/, () => token({ claims: { iat: now() - 600, exp: now() - 120 } })],
    ['an unknown issuer', /issuer/, () => token({ claims: { iss: 'https://evil.example/' } })],
    ['no jti', /jti/, () => token({ omit: ['jti'] })],
    ['no exp', /exp/, () => token({ omit: ['exp'] })],
    ['an unknown kid', /key/, () => token({ kid: 'ehr-2' })],
    [
      'an HMAC algorithm',
      /algorithm/,
      () =>
        new SignJWT({ iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300, jti: randomUUID() })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'ehr-1' })
          .sign(new TextEncoder().encode('x'.repeat(32))),
    ],
  ])('with %s: 401 problem+json saying why', async (_name, why, make) => {
    const res = await callWith(await make());
    expect(res.body.detail).toMatch(why);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
  });

  it('replayed: the second use of a jti is 401, on this instance and on another one', async () => {
    const jwt = await token();
    expect((await callWith(jwt)).status).toBe(200);
    const again = await callWith(jwt);
    expect(again.status).toBe(401);
    expect(again.body.detail).toMatch(/jti/);
    const other = await secondInstance(t);
    try {
      expect((await callWith(jwt, other.app)).status).toBe(401);
      expect((await callWith(await token(), other.app)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('opens only the CDS service: the same kind of token is refused by the /v1 and FHIR routes', async () => {
    for (const url of [`/v1/patients/${patientId}`, `/fhir/R4/Patient/${patientId}`]) {
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${await token({ claims: { aud: `${PUBLIC_URL}${url}` } })}` },
      });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 401 });
    }
  });
});

describe('the clients file', () => {
  it('stops the start with a message naming the file when it is missing, not JSON, holds a private key or lacks keys', () => {
    const cases: [string, string | null][] = [
      ['missing.json', null],
      ['bad.json', '{ not json'],
      [
        'private.json',
        JSON.stringify({
          clients: [{ name: 'x', issuer: 'i', jwks: { keys: [{ kty: 'EC', d: 'secret', x: 'a', y: 'b', crv: 'P-384' }] } }],
        }),
      ],
      ['nokeys.json', JSON.stringify({ clients: [{ name: 'x', issuer: 'i' }] })],
    ];
    for (const [name, content] of cases) {
      const file = join(dir, name);
      if (content !== null) writeFileSync(file, content);
      expect(() => loadConfig({ CDS_CLIENTS_FILE: file })).toThrow(ConfigError);
      expect(() => loadConfig({ CDS_CLIENTS_FILE: file })).toThrow(
        new RegExp(`CDS_CLIENTS_FILE ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
    }
  });
});
