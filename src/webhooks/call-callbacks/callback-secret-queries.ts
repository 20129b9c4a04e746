import { Injectable } from '@nestjs/common';
import { ProjectionEngine } from '../../projections/projection-engine';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { CallbackSecret } from './callback-secret';
import { CALLBACK_SECRETS_PROJECTION, type CallbackSecretsTables } from './callback-secrets.projection';

/** The callback-secrets read model, by tenant. */
@Injectable()
export class CallbackSecretQueries {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
  ) {}

  secretOf(customerId: string): CallbackSecret | null {
    const table = this.engine.tables<keyof CallbackSecretsTables & string>(
      CALLBACK_SECRETS_PROJECTION,
    ).secrets;
    const row = this.readModels
      .statement<[string], { state: string }>(`SELECT state FROM ${table} WHERE customer_id = ?`)
      .get(customerId);
    return row ? JSON.parse(row.state) : null;
  }
}
