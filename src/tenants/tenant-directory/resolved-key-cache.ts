import { Injectable } from '@nestjs/common';
import type { ApiKeyRecord } from './tenant-directory';

/** Enough for every key of a busy instance; beyond it the least recently resolved keys are looked up again. */
const CAPACITY = 10_000;

/**
 * Active keys the auth guard has resolved, by key hash, so a request costs no read-model lookup. Only
 * active keys are kept (an unknown key is looked up every time), so a key works the moment its issue is in
 * the read model. The tenant-directory projection calls `forgetKey` in the same synchronous step in which
 * it applies the revoke, and the revoke answers only after that (read-your-writes on the tenant directory):
 * a revoked key is refused from the instant its revoke answered.
 */
@Injectable()
export class ResolvedKeyCache {
  private readonly byHash = new Map<string, ApiKeyRecord>();
  private readonly hashByKeyId = new Map<string, string>();

  get(keyHash: string): ApiKeyRecord | undefined {
    return this.byHash.get(keyHash);
  }

  remember(keyHash: string, key: ApiKeyRecord): void {
    if (this.byHash.size >= CAPACITY) {
      const oldest = this.byHash.keys().next().value;
      if (oldest !== undefined) this.forgetHash(oldest);
    }
    this.byHash.set(keyHash, key);
    this.hashByKeyId.set(key.keyId, keyHash);
  }

  forgetKey(keyId: string): void {
    const keyHash = this.hashByKeyId.get(keyId);
    if (keyHash !== undefined) this.forgetHash(keyHash);
  }

  private forgetHash(keyHash: string): void {
    const key = this.byHash.get(keyHash);
    this.byHash.delete(keyHash);
    if (key) this.hashByKeyId.delete(key.keyId);
  }
}
