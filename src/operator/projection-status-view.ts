import { ApiProperty } from '@nestjs/swagger';
import type { ProjectionStatus } from '../projections/projection-engine';

export class ProjectionFailureView {
  @ApiProperty() message!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The event the handler threw on.' })
  event_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) event_type!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Its position (decimal string).' })
  position!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** One projection as operators see it (admin API and `switchboard projections list`). */
export class ProjectionStatusView {
  @ApiProperty({ example: 'call-history' }) name!: string;
  @ApiProperty({ description: 'Version whose tables answer queries.' }) version!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Last applied position (decimal string).' })
  position!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The store's head position." })
  head!: string | null;
  @ApiProperty({ description: 'Positions behind the head (decimal string).' }) lag!: string;
  @ApiProperty({ description: 'Age of the oldest event not applied yet, in ms.' }) lag_ms!: number;
  @ApiProperty({ enum: ['catching_up', 'live', 'rebuilding', 'failed', 'stopped'] }) state!: string;
  @ApiProperty({
    type: Object,
    nullable: true,
    description: 'The build in progress: version and position reached.',
  })
  rebuild!: { version: number; position: string | null; state: string } | null;
  @ApiProperty({ type: ProjectionFailureView, nullable: true }) failure!: ProjectionFailureView | null;
}

export class ProjectionStatusPage {
  @ApiProperty({ type: [ProjectionStatusView] }) result!: ProjectionStatusView[];
}

export function projectionStatusView(status: ProjectionStatus, head: bigint | null): ProjectionStatusView {
  const failure = status.error;
  return {
    name: status.name,
    version: status.activeVersion,
    position: status.checkpoint?.toString() ?? null,
    head: head?.toString() ?? null,
    lag: status.lag.positions.toString(),
    lag_ms: status.lag.ms,
    state: status.state,
    rebuild: status.rebuild && {
      version: status.rebuild.version,
      position: status.rebuild.checkpoint?.toString() ?? null,
      state: status.rebuild.state,
    },
    failure: failure && {
      message: failure.message,
      event_id: failure.eventId,
      event_type: failure.eventType,
      position: failure.position?.toString() ?? null,
      at: failure.at.toISOString(),
    },
  };
}
