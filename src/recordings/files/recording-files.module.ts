import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { RECORDING_FILES, recordingFilesFor } from './recording-files';

/** Global: the media gateway (built in the call process) writes the files the recordings API serves. */
@Global()
@Module({
  providers: [
    {
      provide: RECORDING_FILES,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => recordingFilesFor(config.dataDir),
    },
  ],
  exports: [RECORDING_FILES],
})
export class RecordingFilesModule {}
