// Stored idempotent responses can hold PHI (a created patient) or a secret (a new API key, shown
// once). They are sealed with AES-256-GCM under a key derived from the caller's own bearer secret,
// which the database never holds: only the same credential can replay them, and a copy of the
// idempotency table reveals nothing.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1:';

/** The sealing key for one credential; derived per request from the presented bearer secret. */
export const sealKeyFor = (bearerSecret: string): Buffer =>
  createHmac('sha256', bearerSecret).update('esi-scheduler/idempotency-response/v1').digest();

export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The plaintext, or undefined when the record was sealed under another credential (or tampered with). */
export function unseal(key: Buffer, sealed: string): string | undefined {
  if (!sealed.startsWith(VERSION)) return undefined;
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
  if (raw.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
