import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { APP_CONFIG } from '../../src/config/app-config';
import { EVENT_STORE } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ReactorEngine } from '../../src/reactors/reactor-engine';
import { ReactorsModule } from '../../src/reactors/reactors.module';
import { ReactorsDatabase } from '../../src/reactors/reactors-database';
import { SubscriptionsModule } from '../../src/subscriptions/subscriptions.module';
import { SequentialIds } from '../support/fixed-clock';
import { appendEvents, RecordingReactor } from './reactor-fixtures';

const reactor = new RecordingReactor('feature-reactor');

/** A feature module as features write them: register in onModuleInit. */
@Injectable()
class Feature implements OnModuleInit {
  constructor(private readonly engine: ReactorEngine) {}
  onModuleInit(): void {
    this.engine.register(reactor);
  }
}

@Module({ providers: [Feature] })
class FeatureModule {}

describe('ReactorsModule', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reactors-module-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps checkpoints in <DATA_DIR>/reactors.db, starts on bootstrap, stops and closes on shutdown', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    @Global()
    @Module({
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: APP_CONFIG, useValue: { dataDir: dir } },
      ],
      exports: [EVENT_STORE, APP_CONFIG],
    })
    class Infrastructure {}

    const moduleRef = await Test.createTestingModule({
      imports: [Infrastructure, SubscriptionsModule, ReactorsModule, FeatureModule],
    }).compile();
    const app = await moduleRef.init();
    const engine = app.get(ReactorEngine);
    const database = app.get(ReactorsDatabase);
    expect(database.filename).toBe(join(dir, 'reactors.db'));
    expect(existsSync(join(dir, 'reactors.db'))).toBe(true);

    await appendEvents(store, 'call-a', ['CallCreated'], new SequentialIds());
    await reactor.waitForCalls(1);

    await app.close();
    expect(engine.status()[0].state).toBe('stopped');
    expect(database.connection.open).toBe(false);
    await store.close();
  });
});
