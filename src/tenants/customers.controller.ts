import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { notFound } from '../domain/domain-error';
import { Idempotent } from '../http/idempotent.decorator';
import { Roles } from '../http/principal';
import { ReadsFrom } from '../http/reads-from.decorator';
import { RequestMetadata } from '../http/request-metadata';
import { UuidPipe } from '../http/uuid.pipe';
import {
  CreateCustomerCommand,
  type CustomerCreatedResult,
  type IssuedKeyView,
} from './create-customer/create-customer.command';
import { CreateCustomerRequest } from './create-customer/create-customer.request';
import { IssueApiKeyCommand } from './issue-api-key/issue-api-key.command';
import { IssueApiKeyRequest } from './issue-api-key/issue-api-key.request';
import { RevokeApiKeyCommand } from './revoke-api-key/revoke-api-key.command';
import type { RevokedKeyView } from './revoke-api-key/revoke-api-key.handler';
import { TenantDirectory } from './tenant-directory/tenant-directory';
import { TENANT_DIRECTORY } from './tenant-directory/tenant-directory.projection';

@ApiTags('customers')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: TenantDirectory,
  ) {}

  @Idempotent()
  @Post()
  @ApiOperation({ summary: 'Create a customer (tenant) and its first user key; the key is shown only here.' })
  create(
    @Body() body: CreateCustomerRequest,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<CustomerCreatedResult> {
    return this.commands.execute(new CreateCustomerCommand({ name: body.name }, metadata));
  }

  @Get(':id')
  @ReadsFrom(TENANT_DIRECTORY)
  @ApiOperation({ summary: 'A customer and its keys (never the keys themselves).' })
  get(@Param('id', new UuidPipe('id')) id: string) {
    const customer = this.directory.customer(id);
    if (!customer) throw notFound('customer.not_found', `Customer ${id} not found`);
    return {
      id: customer.id,
      name: customer.name,
      created_at: customer.createdAt,
      api_keys: customer.keys.map((k) => ({
        id: k.keyId,
        role: k.role,
        issued_at: k.issuedAt,
        revoked_at: k.revokedAt,
      })),
    };
  }

  @Idempotent()
  @Post(':id/keys')
  @ApiOperation({ summary: 'Issue a key with a role; the key is shown only here.' })
  issueKey(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: IssueApiKeyRequest,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<IssuedKeyView> {
    return this.commands.execute(new IssueApiKeyCommand(id, body.role, metadata));
  }

  @Idempotent()
  @Delete(':id/keys/:keyId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key; it stops working at once. Revoking twice is harmless.' })
  revokeKey(
    @Param('id', new UuidPipe('id')) id: string,
    @Param('keyId', new UuidPipe('keyId')) keyId: string,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<RevokedKeyView> {
    return this.commands.execute(new RevokeApiKeyCommand(id, keyId, metadata));
  }
}
