// Stored idempotent responses can hold PHI (a created patient) or a secret (a new API key, shown
// once). They are sealed with AES-256-GCM under a key derived from the caller's own bearer secret,
// which the database never holds: only the same credential can replay them, and a copy of the
// idempotency table reveals nothing. Each seal is bound (GCM associated data) to its record: the id
// of the record, the API key that owns it and the Idempotency-Key, so a stored reply moved to another
// record, even one of the same caller, no longer opens.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** v1 seals (no associated data) no longer open: their records are treated as fresh keys. */
const VERSION = 'v2:';

/** The sealing key for one credential; derived per request from the presented bearer secret. */
export const sealKeyFor = (bearerSecret: string): Buffer =>
  createHmac('sha256', bearerSecret).update('esi-scheduler/idempotency-response/v1').digest();

/** What a sealed reply is bound to. */
export interface SealBinding {
  recordId: string;
  apiKeyId: string;
  key: string;
}

const associatedData = (b: SealBinding) =>
  Buffer.from(JSON.stringify(['esi-scheduler/idempotency/v2', b.recordId, b.apiKeyId, b.key]), 'utf8');

export function seal(key: Buffer, binding: SealBinding, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(binding));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The plaintext, or undefined when the record was sealed under another credential, for another
 * record, by an older version, or tampered with. */
export function unseal(key: Buffer, binding: SealBinding, sealed: string): string | undefined {
  if (!sealed.startsWith(VERSION)) return undefined;
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
  if (raw.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(associatedData(binding));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
