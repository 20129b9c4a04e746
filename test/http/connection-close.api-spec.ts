import { Agent, get } from 'node:http';
import { Logger } from '@nestjs/common';
import { TestApp } from '../support/test-app';
import { rawExchange } from './raw-http';

const HEALTHY = 'GET /v1/conferences HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';

function getWith(agent: Agent, url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    }).on('error', reject);
  });
}

describe('connections the server closes say so', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(() => app.close());

  it('malformed HTTP after a keep-alive request: 400 problem+json with Connection: close, then a clean close', async () => {
    const exchange = await rawExchange(app.baseUrl, [HEALTHY, 'NOT HTTP AT ALL\r\n\r\n']);

    const second = exchange.text.slice(exchange.text.indexOf('HTTP/1.1', 10));
    expect(second).toMatch(/^HTTP\/1\.1 400 /);
    expect(second).toMatch(/\r\nConnection: close\r\n/i);
    expect(second).toMatch(/\r\nContent-Type: application\/problem\+json/i);
    expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'malformed_http',
    });
    expect(exchange.ending).toBe('end');
  });

  it('oversize headers: 431 problem+json with Connection: close', async () => {
    const exchange = await rawExchange(app.baseUrl, [
      `GET /v1/conferences HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]);

    expect(exchange.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(exchange.text).toMatch(/\r\nConnection: close\r\n/i);
    expect(exchange.text).toContain('"code":"headers_too_large"');
    expect(exchange.ending).toBe('end');
  });

  it('a keep-alive client carries on after a 431 without a reset', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = `${app.baseUrl}/v1/conferences`;
    try {
      const statuses = [
        await getWith(agent, url),
        await getWith(agent, url, { 'x-big': 'a'.repeat(20_000) }),
        await getWith(agent, url),
      ];
      expect(statuses).toEqual([401, 431, 401]);
    } finally {
      agent.destroy();
    }
  });

  it('a client that hangs up mid-body is not a server error', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error');
    try {
      await rawExchange(
        app.baseUrl,
        [
          'POST /v1/conferences HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
        ],
        200,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(errors.mock.calls.filter(([message]) => /aborted/.test(String(message)))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });
});
