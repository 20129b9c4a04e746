import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReactorEngine } from '../reactors/reactor-engine';
import { RECORDING_COMMAND_HANDLERS } from './commands/recording.handlers';
import { RecordingTargetsController } from './http/recording-targets.controller';
import { RecordingsController } from './http/recordings.controller';
import { recordingsProjection } from './read-model/recordings.projection';
import { RecordingsQueries } from './read-model/recordings.queries';
import { RecordingProcess } from './recording-process';
import { RecordingLifecycleReactor } from './sagas/recording-lifecycle.reactor';
import { RecordingMediaReactor } from './sagas/recording-media.reactor';

/**
 * Recording (issue 12 §2): start/stop on calls and conferences, the `recordings` read model, the file
 * download, and the two sagas. `RecordingProcess` and the command handlers are exported for call actions.
 */
@Module({
  imports: [AuditModule],
  controllers: [RecordingTargetsController, RecordingsController],
  providers: [
    RecordingProcess,
    ...RECORDING_COMMAND_HANDLERS,
    RecordingsQueries,
    RecordingLifecycleReactor,
    RecordingMediaReactor,
  ],
  exports: [RecordingProcess],
})
export class RecordingsModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionEngine,
    private readonly reactors: ReactorEngine,
    private readonly lifecycle: RecordingLifecycleReactor,
    private readonly media: RecordingMediaReactor,
  ) {}

  onModuleInit(): void {
    this.projections.register(recordingsProjection);
    this.reactors.register(this.lifecycle);
    // External mode: the media layer follows the event feed and reports over HTTP, as for calls.
    if (this.config.mediaGatewayMode !== 'external') this.reactors.register(this.media);
  }
}
