import { ApiProperty } from '@nestjs/swagger';
import type { HangupReason } from '../calls/call';
import { GRANULARITIES, type Granularity } from './usage-periods';

/** Ended calls per hangup reason (seed 003); every reason is present, 0 when none. */
export class UsageOutcomesView implements Record<HangupReason, number> {
  @ApiProperty({ example: 3, description: 'Ended after an answer.' }) normal!: number;
  @ApiProperty({ example: 0, description: 'Never reached the phone network.' }) failed!: number;
  @ApiProperty({ example: 1, description: 'Busy or declined.' }) busy!: number;
  @ApiProperty({ example: 0, description: 'Given up before an answer.' }) cancel!: number;
  @ApiProperty({ example: 0, description: 'Reached the maximum duration.' }) timeout!: number;
  @ApiProperty({ example: 0, description: 'Not answered in time (far end).' }) noanswer!: number;
  @ApiProperty({ example: 0, description: 'Our dial timeout ran out.' }) dialout!: number;
  @ApiProperty({ example: 0, description: 'Answering machine detected.' }) amd!: number;
}

export class UsageDirectionView {
  @ApiProperty({ example: 4, description: 'Calls of this direction that ended in the period.' })
  calls!: number;
  @ApiProperty({ example: 7, description: 'Their talk time, each call rounded up to the minute.' })
  billable_minutes!: number;
  @ApiProperty({ type: UsageOutcomesView })
  outcomes!: UsageOutcomesView;
}

export class UsageTotalsView {
  @ApiProperty({ example: 5, description: 'Calls that ended in the period (by their end time, UTC).' })
  calls!: number;
  @ApiProperty({ example: 9, description: 'Talk time of those calls, each rounded up to the minute.' })
  billable_minutes!: number;
  @ApiProperty({ type: UsageDirectionView, description: 'Outgoing calls.' })
  outgoing!: UsageDirectionView;
  @ApiProperty({ type: UsageDirectionView, description: 'Incoming calls.' })
  incoming!: UsageDirectionView;
  @ApiProperty({
    example: 12,
    description: 'Time participants spent in conferences, each participation rounded up to the minute.',
  })
  conference_participant_minutes!: number;
  @ApiProperty({ example: 0, description: 'Recorded time, each recording rounded up to the minute.' })
  recording_minutes!: number;
}

export class UsageBucketView extends UsageTotalsView {
  @ApiProperty({ example: '2026-01-01', description: '`YYYY-MM-DD` (day) or `YYYY-MM` (month), UTC.' })
  period!: string;
  @ApiProperty({ format: 'date-time', description: 'First instant counted (clipped to `from`).' })
  start!: string;
  @ApiProperty({ format: 'date-time', description: 'First instant not counted (clipped to `to`).' })
  end!: string;
}

export class UsageReportView {
  @ApiProperty({ format: 'uuid', description: 'The tenant: always the caller’s own.' })
  customer_id!: string;
  @ApiProperty({ example: '2026-01-01', description: 'First UTC day counted.' })
  from!: string;
  @ApiProperty({ example: '2026-01-31', description: 'Last UTC day counted (inclusive).' })
  to!: string;
  @ApiProperty({ enum: GRANULARITIES })
  granularity!: Granularity;
  @ApiProperty({ type: [UsageBucketView], description: 'Every period of the range, oldest first.' })
  buckets!: UsageBucketView[];
  @ApiProperty({ type: UsageTotalsView, description: 'The whole range.' })
  totals!: UsageTotalsView;
}
