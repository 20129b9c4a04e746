import { createHash, randomBytes } from 'node:crypto';

/** The prefix makes leaked keys greppable by secret scanners. */
const KEY_PREFIX = 'sb_';

/** A new key: 256 random bits. Only its hash is ever stored. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
