// The CDS JWT bearer as the auth plugin sees it: an actor for a good token, a failure reason for a
// refused one, null for a token that is not a JWT (tried as an API key), and a jti-store error that
// propagates (answered as the outage it is, never as a 401 carrying its message).
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { cdsJwtBearer, type CdsClient } from '../../../src/modules/cds-hooks/cds-jwt.ts';

const ISSUER = 'https://ehr.example.org/';
const URL_BASE = 'https://esi.example.org';
const ROUTE = '/cds-services/esi-appointment-check';

async function setup() {
  const { publicKey, privateKey } = await generateKeyPair('ES384');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES384' };
  const client: CdsClient = {
    name: 'ehr',
    issuer: ISSUER,
    role: 'front_desk',
    actorId: randomUUID(),
    keys: createLocalJWKSet({ keys: [jwk] }),
  };
  const now = Math.floor(Date.now() / 1000);
  const sign = () =>
    new SignJWT({ iss: ISSUER, aud: `${URL_BASE}${ROUTE}`, iat: now, exp: now + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: 'k1' })
      .sign(privateKey);
  return { client, sign };
}

describe('cdsJwtBearer', () => {
  it('applies to the CDS service routes only', () => {
    const bearer = cdsJwtBearer([], URL_BASE, async () => true);
    expect(bearer.applies(ROUTE)).toBe(true);
    expect(bearer.applies('/cds-services')).toBe(false);
    expect(bearer.applies('/v1/patients/:id')).toBe(false);
    expect(bearer.applies('/fhir/R4/Patient/:id')).toBe(false);
  });

  it('answers an actor, a failure on replay, null for a non-JWT, and lets a store error through', async () => {
    const { client, sign } = await setup();
    const seen = new Set<string>();
    const bearer = cdsJwtBearer([client], URL_BASE, async (_iss, jti) => (seen.has(jti) ? false : (seen.add(jti), true)));
    const token = await sign();
    expect(await bearer.verify(token, ROUTE)).toEqual({ id: client.actorId, name: 'cds:ehr', role: 'front_desk' });
    expect(await bearer.verify(token, ROUTE)).toEqual({ failure: expect.stringMatching(/jti/) });
    expect(await bearer.verify('abc.def.ghi', ROUTE)).toBeNull();
    const down = cdsJwtBearer([client], URL_BASE, async () => {
      throw new Error('connection terminated unexpectedly');
    });
    await expect(down.verify(await sign(), ROUTE)).rejects.toThrow(/connection terminated/);
  });
});
