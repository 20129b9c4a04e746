import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { CALL_SIGNALS, type CallSignal } from '../call';
import { MAX_ACTION_TEXT } from '../call-action-options';
import { CONTROL_SIGNAL_RESULTS, CONTROL_SIGNALS, type ControlSignalKind } from '../call-actions';

/** POST /v1/calls/:id/signals: what an external media layer observed on a call leg. */
export class ReportSignalRequest {
  @ApiProperty({
    example: 'leg-42/answered/1',
    description: 'Unique per signal; redelivering a signal with the same id changes nothing.',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9._:/-]{1,128}$/, { message: 'signal_id must be 1 to 128 letters, digits or ._:/-' })
  signal_id!: string;

  @ApiProperty({
    enum: [...CALL_SIGNALS, ...CONTROL_SIGNALS],
    description:
      'Call progress, or call control: action_started / action_finished (with action_id), speech (with ' +
      'text), amd (with result human|machine).',
  })
  @IsIn([...CALL_SIGNALS, ...CONTROL_SIGNALS])
  signal!: CallSignal | ControlSignalKind;

  @ApiPropertyOptional({ example: 'NORMAL_CLEARING', description: 'Q.850 cause, SIP code or free text.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  cause?: string;

  // --- call control signals (`call-actions.ts`) ---
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The action an action_started/action_finished is about.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  action_id?: string;

  @ApiPropertyOptional({ example: 'Hi, can you hear me?', description: 'What the user said (speech).' })
  @IsOptional()
  @IsString()
  @Length(1, MAX_ACTION_TEXT)
  text?: string;

  @ApiPropertyOptional({
    enum: CONTROL_SIGNAL_RESULTS,
    description: 'amd: human|machine; action_finished: done (default) or failed.',
  })
  @IsOptional()
  @IsIn(CONTROL_SIGNAL_RESULTS)
  result?: string;
}
