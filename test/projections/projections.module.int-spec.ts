import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { APP_CONFIG } from '../../src/config/app-config';
import { EVENT_STORE } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { ProjectionsModule } from '../../src/projections/projections.module';
import { READ_MODEL_FILENAME, ReadModelDatabase } from '../../src/projections/read-model-database';
import { SubscriptionsModule } from '../../src/subscriptions/subscriptions.module';
import { SequentialIds } from '../support/fixed-clock';
import { appendStatuses, callLogProjection, callStatuses } from './projection-fixtures';

const store = new SqliteEventStore({ filename: ':memory:' });

@Global()
@Module({
  providers: [
    { provide: EVENT_STORE, useValue: store },
    { provide: APP_CONFIG, useValue: { dataDir: ':memory:' } },
  ],
  exports: [EVENT_STORE, APP_CONFIG],
})
class TestStoreModule {}

/** Stands for the app module, which provides the file name from config. */
@Global()
@Module({
  providers: [{ provide: READ_MODEL_FILENAME, useValue: ':memory:' }],
  exports: [READ_MODEL_FILENAME],
})
class TestConfigModule {}

/** A feature module as features will write them: register in onModuleInit. */
@Injectable()
class CallLogFeature implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}
  onModuleInit(): void {
    this.engine.register(callLogProjection());
  }
}

@Module({ providers: [CallLogFeature] })
class CallLogModule {}

describe('ProjectionsModule', () => {
  afterAll(() => store.close());

  it('starts the engine on bootstrap, serves queries, stops it and closes the file on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TestStoreModule, SubscriptionsModule, ProjectionsModule.forRoot(':memory:'), CallLogModule],
    }).compile();
    // An application context runs the same lifecycle hooks as the HTTP app.
    const app = await moduleRef.init();
    const engine = app.get(ProjectionEngine);
    const readModels = app.get(ReadModelDatabase);

    const position = await appendStatuses(store, 'call-a', ['dialing'], new SequentialIds());
    expect(await engine.waitForPosition(position, { timeoutMs: 2_000 })).toBe(true);
    expect(callStatuses(readModels.connection, engine.tables('call-log'))).toEqual({ a: 'dialing' });

    await app.close();
    expect((await engine.status())[0].state).toBe('stopped');
    expect(readModels.connection.open).toBe(false);
  });

  it('takes the read-model file name from a global READ_MODEL_FILENAME provider', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TestStoreModule, SubscriptionsModule, TestConfigModule, ProjectionsModule, CallLogModule],
    }).compile();
    const app = await moduleRef.init();
    expect(app.get(ReadModelDatabase).filename).toBe(':memory:');
    expect(app.get(ProjectionEngine).tables('call-log').calls).toBe('call_log_v1_calls');
    await app.close();
  });
});
