import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp, createFastifyAdapter } from '../../src/bootstrap';
import type { AppConfig } from '../../src/config/app-config';
import { CLOCK, type Clock } from '../../src/domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../src/domain/id-generator';
import { createRootLogger, ROOT_LOGGER } from '../../src/observability/log-options';

export const TEST_ADMIN_KEY = 'sb_test_admin_key_0123456789abcdef';

export interface TestAppOptions {
  config?: Partial<AppConfig>;
  clock?: Clock;
  ids?: IdGenerator;
  /** Extra modules next to the product (e.g. one registering a test projection before start). */
  imports?: ModuleMetadata['imports'];
  /**
   * Resolve only once `/health/ready` answers 200, as an orchestrator waits (default true): on a store with
   * events the API answers 503 until its read models have caught up.
   */
  waitUntilReady?: boolean;
  /**
   * JSON log lines go here (request, command and Nest Logger lines alike, as `src/main.ts` wires them)
   * instead of Nest's console logger; `config.logLevel` filters them.
   */
  logDestination?: DestinationStream;
}

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** A raw body sent as is (malformed JSON tests). */
  /** Sent as given (bytes for compressed or non-UTF-8 bodies). */
  rawBody?: string | Uint8Array;
  /** Bearer key; `null` sends none. Default: the admin key. */
  key?: string | null;
  headers?: Record<string, string>;
}

/**
 * The whole product on an ephemeral port, in memory, driven through real HTTP (fetch), so tests see exactly
 * what clients see: routing, validation, auth, serialization, problem details.
 */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const config: AppConfig = {
      eventStore: 'sqlite',
      dataDir: ':memory:',
      port: 0,
      host: '127.0.0.1',
      adminApiKey: TEST_ADMIN_KEY,
      bodyLimitBytes: 64 * 1024,
      readYourWritesTimeoutMs: 2000,
      logLevel: 'warn',
      ...options.config,
    };
    let builder = Test.createTestingModule({
      imports: [AppModule.forRoot(config), ...(options.imports ?? [])],
    });
    if (options.clock) builder = builder.overrideProvider(CLOCK).useValue(options.clock);
    if (options.ids) builder = builder.overrideProvider(ID_GENERATOR).useValue(options.ids);
    if (options.logDestination)
      builder = builder
        .overrideProvider(ROOT_LOGGER)
        .useValue(createRootLogger(config, options.logDestination));
    const moduleRef = await builder.compile();
    moduleRef.useLogger(['error', 'warn']);
    const app = moduleRef.createNestApplication<NestFastifyApplication>(
      createFastifyAdapter(config),
      APP_OPTIONS,
    );
    if (options.logDestination) app.useLogger(app.get(PinoNestLogger));
    await configureApp(app);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const testApp = new TestApp(app, `http://127.0.0.1:${port}`);
    if (options.waitUntilReady ?? true) await testApp.waitUntilReady();
    return testApp;
  }

  private async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.request('GET', '/health/ready', { key: null })).status !== 200) {
      if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? TEST_ADMIN_KEY : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | Uint8Array | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** A fresh customer and its first `user` key. */
  async createCustomer(name = 'Acme'): Promise<{ customerId: string; key: string }> {
    const response = await this.request('POST', '/v1/customers', { body: { name } });
    if (response.status !== 201) throw new Error(`createCustomer failed: ${JSON.stringify(response.body)}`);
    return { customerId: response.body.customer.id, key: response.body.api_key.key };
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
