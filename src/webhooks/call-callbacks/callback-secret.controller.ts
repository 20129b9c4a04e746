import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { CLOCK, type Clock } from '../../domain/clock';
import { notFound } from '../../domain/domain-error';
import { Idempotent } from '../../http/idempotent.decorator';
import { CurrentPrincipal, type Principal, Roles } from '../../http/principal';
import { ReadsFrom } from '../../http/reads-from.decorator';
import { RequestMetadata } from '../../http/request-metadata';
import { SecretSealer } from '../secret-sealing';
import { newSigningSecret } from '../signing-secret';
import type { CallbackSecret } from './callback-secret';
import { CallbackSecretQueries } from './callback-secret-queries';
import { CALLBACK_SECRETS_PROJECTION } from './callback-secrets.projection';
import { RotateCallbackSecretCommand } from './rotate-callback-secret.handler';

export class CallbackSecretView {
  @ApiProperty({ description: 'When the tenant’s first callback secret was made.' }) tm_create!: string;
  @ApiProperty({ description: 'Last rotation.' }) tm_update!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Until when the previous secret still signs (24 h after a rotation); null if none does.',
  })
  previous_secret_expires_at!: string | null;
}

/** Only the rotation's answer carries the secret: it is never shown again. */
export class CallbackSecretWithSecretView extends CallbackSecretView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown once.' })
  secret!: string;
}

/** The tenant's callback secret, which signs every `status_callback` delivery (Standard Webhooks). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/callback-secret')
export class CallbackSecretController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: CallbackSecretQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sealer: SecretSealer,
  ) {}

  @Idempotent()
  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Create the tenant’s callback secret, or rotate it: the answer shows the new secret once; the ' +
      'previous one keeps signing for 24 h.',
  })
  @ApiResponse({ status: 200, type: CallbackSecretWithSecretView })
  async rotate(@RequestMetadata() metadata: CommandMetadata): Promise<CallbackSecretWithSecretView> {
    const secret = newSigningSecret();
    const state: CallbackSecret = await this.commands.execute(
      // Stored sealed when WEBHOOK_SECRET_ENCRYPTION_KEY is set; shown once in plaintext.
      new RotateCallbackSecretCommand(this.sealer.seal(secret), this.clock.now().toISOString(), metadata),
    );
    return { ...callbackSecretView(state), secret };
  }

  @Get()
  @ReadsFrom(CALLBACK_SECRETS_PROJECTION)
  @ApiOperation({
    summary: 'Whether the tenant has a callback secret, and its rotation times (never the secret).',
  })
  @ApiResponse({ status: 200, type: CallbackSecretView })
  @ApiResponse({ status: 404, description: 'No callback secret yet: POST /v1/callback-secret/rotate.' })
  get(@CurrentPrincipal() principal: Principal): CallbackSecretView {
    const state = this.queries.secretOf(principal.customerId);
    if (!state)
      throw notFound('callback_secret.not_found', 'No callback secret yet: POST /v1/callback-secret/rotate');
    return callbackSecretView(state);
  }
}

function callbackSecretView(state: CallbackSecret): CallbackSecretView {
  return {
    tm_create: state.tmCreate,
    tm_update: state.tmUpdate,
    previous_secret_expires_at: state.secrets.find((s) => s.expiresAt !== null)?.expiresAt ?? null,
  };
}
