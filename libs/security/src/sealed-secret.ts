import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * A secret (provisional password, EDI code) that must travel through the outbox and a
 * job queue to the notifications worker without sitting in clear text in PostgreSQL or
 * Redis: sealed with AES-256-GCM under SECRETS_KEY, opened only just before sending.
 */
export interface SealedSecret {
  sealed: string;
}

function keyOf(secretsKey: string): Buffer {
  return createHash('sha256').update(secretsKey, 'utf8').digest();
}

export function sealSecret(plaintext: string, secretsKey: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secretsKey), iv);
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { sealed: ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), encrypted.toString('base64url')].join('.') };
}

/** Throws when the value was not sealed with this key or was altered. */
export function openSecret(value: SealedSecret, secretsKey: string): string {
  const [version, iv, tag, data] = value.sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secretsKey), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

export function isSealedSecret(value: unknown): value is SealedSecret {
  return typeof value === 'object' && value !== null && typeof (value as SealedSecret).sealed === 'string';
}
