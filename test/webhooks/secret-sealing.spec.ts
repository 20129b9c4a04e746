import type { AppConfig } from '../../src/config/app-config';
import { SecretSealer } from '../../src/webhooks/secret-sealing';

const KEY = Buffer.alloc(32, 1).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 2).toString('base64');
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const sealer = (key?: string) => new SecretSealer({ webhookSecretEncryptionKey: key } as AppConfig);

describe('signing secrets at rest', () => {
  it('with a key, stores a sealed form that hides the secret and opens back to it', () => {
    const sealed = sealer(KEY).seal(SECRET);
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain(SECRET.slice(6, 20));
    expect(sealer(KEY).open(sealed)).toBe(SECRET);
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    expect(sealer(KEY).seal(SECRET)).not.toBe(sealer(KEY).seal(SECRET));
  });

  it('without a key, stores and opens plaintext', () => {
    expect(sealer().seal(SECRET)).toBe(SECRET);
    expect(sealer().open(SECRET)).toBe(SECRET);
  });

  it('opens plaintext secrets stored before the key was set', () => {
    expect(sealer(KEY).open(SECRET)).toBe(SECRET);
  });

  it('refuses to open a sealed secret without the key, with another key, or tampered with', () => {
    const sealed = sealer(KEY).seal(SECRET);
    expect(() => sealer().open(sealed)).toThrow(/WEBHOOK_SECRET_ENCRYPTION_KEY is not set/);
    expect(() => sealer(OTHER_KEY).open(sealed)).toThrow(/another WEBHOOK_SECRET_ENCRYPTION_KEY/);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(() => sealer(KEY).open(tampered)).toThrow(/another WEBHOOK_SECRET_ENCRYPTION_KEY/);
  });
});
