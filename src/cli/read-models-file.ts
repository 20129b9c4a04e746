import { join } from 'node:path';
import { READ_MODELS_FILE } from '../app.module';
import type { AppConfig } from '../config/app-config';

/** The server's read-model file in the data folder (the CLI opens it only for local projection work). */
export function readModelsFile(config: AppConfig): string {
  return config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, READ_MODELS_FILE);
}
