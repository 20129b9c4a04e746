import type { CommandMetadata } from '../../command-handling/command-metadata';

export class CreateCustomerCommand {
  constructor(
    readonly input: { name: string; customerId?: string; firstKeyRole?: 'admin' | 'user' },
    readonly metadata: CommandMetadata,
    /** Operators bootstrapping automation pass a known key; otherwise a random one is generated. */
    readonly presetKey?: string,
  ) {}
}

export interface CustomerCreatedResult {
  customer: { id: string; name: string; created_at: string };
  api_key: IssuedKeyView;
}

/** The only time the plain key is ever shown. */
export interface IssuedKeyView {
  id: string;
  customer_id: string;
  role: string;
  key: string;
  issued_at: string;
}
