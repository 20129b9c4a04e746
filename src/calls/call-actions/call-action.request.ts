import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { JsonObject } from '../../event-store/event-store';
import { checkActionOption } from '../call-action-options';
import { type AmdPolicy, CALL_ACTION_TYPES, type CallActionType } from '../call-control';

/** Checks `option` against its action's `type` with the same rules as the decider (`call-action-options`). */
@ValidatorConstraint({ name: 'actionOption' })
class ActionOptionMatchesType implements ValidatorConstraintInterface {
  private problems(args: ValidationArguments): string[] {
    const type = (args.object as CallActionRequest).type;
    if (!CALL_ACTION_TYPES.includes(type)) return []; // `type` reports its own error
    return checkActionOption(type, args.value).problems;
  }
  validate(_value: unknown, args: ValidationArguments): boolean {
    return this.problems(args).length === 0;
  }
  defaultMessage(args: ValidationArguments): string {
    return this.problems(args).join('; ');
  }
}

/** Seed 002's "say" is VoIPBIN's talk. */
const sayIsTalk = ({ value }: { value: unknown }) => (value === 'say' ? 'talk' : value);

/**
 * One action (VoIPBIN's `{type, option}`), for POST /v1/calls/:id/actions and POST /v1/calls `actions`.
 * The option's rules per type are in `call-action-options.ts` (and the README).
 */
export class CallActionRequest {
  @ApiProperty({
    enum: [...CALL_ACTION_TYPES, 'say'],
    description: '`say` (seed 002) is the same as `talk`.',
  })
  @Transform(sayIsTalk)
  @IsIn(CALL_ACTION_TYPES)
  type!: CallActionType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { text: 'Hello. This is Sungtae, nice to meet you.', gender: 'female', language: 'en-US' },
    description:
      'talk: {text, gender?, language?}; play: {url}; transfer: {destination}; inject_context: {text}; ' +
      'record_start: {format?}; hangup, record_stop: {}.',
  })
  @Validate(ActionOptionMatchesType)
  option?: JsonObject;
}

export class AmdRequest {
  @ApiProperty({ enum: ['hangup', 'continue'], description: 'What to do when a machine answers.' })
  @IsIn(['hangup', 'continue'])
  on_machine!: AmdPolicy;
}

/** Keeps the option out of class-transformer's hands: it is checked and stored as plain JSON. */
export function actionInput(request: CallActionRequest): { type: CallActionType; option: JsonObject } {
  return { type: request.type, option: request.option ?? {} };
}
