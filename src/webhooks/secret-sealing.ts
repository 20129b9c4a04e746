import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

const SEALED_PREFIX = 'sealed:v1:';
const IV_BYTES = 12;

export class SecretUnreadable extends Error {
  override readonly name = 'SecretUnreadable';
}

/**
 * Signing secrets at rest. Every instance must be able to sign, so the secrets live in the events (and in
 * the read models built from them); with WEBHOOK_SECRET_ENCRYPTION_KEY set they are stored sealed with
 * AES-256-GCM, `sealed:v1:<iv>.<tag>.<ciphertext>` in base64url, so a copy of the store or of a backup
 * does not give away the secrets. Without a key they are stored as they are (documented: fine for tests
 * and for stores that are themselves encrypted). Opening accepts both, so turning the key on later keeps
 * the older, plaintext secrets working. A sealed secret without the key (or with another key) cannot be
 * opened: the delivery fails with that reason rather than being signed wrongly.
 */
@Injectable()
export class SecretSealer {
  private readonly key: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = config.webhookSecretEncryptionKey
      ? Buffer.from(config.webhookSecretEncryptionKey, 'base64')
      : null;
  }

  seal(secret: string): string {
    if (this.key === null) return secret;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url'));
    return `${SEALED_PREFIX}${parts.join('.')}`;
  }

  /** The plaintext secret; throws `SecretUnreadable` for a sealed one this instance cannot open. */
  open(stored: string): string {
    if (!stored.startsWith(SEALED_PREFIX)) return stored;
    if (this.key === null)
      throw new SecretUnreadable('the signing secret is sealed and WEBHOOK_SECRET_ENCRYPTION_KEY is not set');
    const [iv, tag, sealed] = stored
      .slice(SEALED_PREFIX.length)
      .split('.')
      .map((part) => Buffer.from(part, 'base64url'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadable('the signing secret was sealed with another WEBHOOK_SECRET_ENCRYPTION_KEY');
    }
  }
}
