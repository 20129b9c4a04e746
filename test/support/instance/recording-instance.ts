/**
 * One Switchboard instance for multi-instance tests, started the way `src/main.ts` starts the server, except
 * that the media gateway is a recorder: every request (dial, hangup, join, leave) is appended to
 * `GATEWAY_LOG` as one JSON line tagged with this instance's name, before it is acknowledged. Appends are
 * write(2) calls, so what a killed instance recorded stays recorded. Prints `listening on <url>` when up.
 */
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../../src/app.module';
import { APP_OPTIONS, configureApp, createFastifyAdapter } from '../../../src/bootstrap';
import type { MediaGateway } from '../../../src/calls/media-gateway/media-gateway.port';
import { MEDIA_GATEWAY } from '../../../src/calls/media-gateway/media-gateway.port';
import { loadAppConfig } from '../../../src/config/app-config';

const log = process.env.GATEWAY_LOG ?? '/dev/null';
const instance = process.env.INSTANCE_NAME ?? String(process.pid);

function record(kind: string, request: { callId: string; conferencecallId?: string }): Promise<void> {
  const line = { instance, kind, callId: request.callId, conferencecallId: request.conferencecallId ?? null };
  appendFileSync(log, `${JSON.stringify(line)}\n`);
  return Promise.resolve();
}

const recorder: MediaGateway = {
  dial: (request) => record('dial', request),
  hangup: (request) => record('hangup', request),
  joinConference: (request) => record('join', request),
  leaveConference: (request) => record('leave', request),
  executeAction: (request) => record('action', request),
  // recording (issue 12 §2): not counted here
  startRecording: () => Promise.resolve(),
  stopRecording: () => Promise.resolve(),
};

async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(MEDIA_GATEWAY)
    .useValue(recorder)
    .compile();
  moduleRef.useLogger(['error', 'warn']);
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createFastifyAdapter(config),
    APP_OPTIONS,
  );
  await configureApp(app);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `instance ${instance} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
