import { Module } from '@nestjs/common';
import { CreateCustomerHandler } from './create-customer/create-customer.handler';
import { IssueApiKeyHandler } from './issue-api-key/issue-api-key.handler';
import { RevokeApiKeyHandler } from './revoke-api-key/revoke-api-key.handler';

/** The write side of customers and keys: command handlers only (the CLI imports it as the server does). */
@Module({ providers: [CreateCustomerHandler, IssueApiKeyHandler, RevokeApiKeyHandler] })
export class TenantCommandsModule {}
