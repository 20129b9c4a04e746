import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { TestApp } from '../support/test-app';

const CONFERENCE = { type: 'conference', name: 'bodies' };
const CALL = { destination: { type: 'tel', target: '+15551234567' } };

function nested(levels: number): string {
  return `{"type":"conference","data":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
}

/** A body sent in pieces, as a client uploading a file does: the server answers while it still sends. */
function streamed(body: Buffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    async pull(controller) {
      if (offset >= body.length) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, 1));
      controller.enqueue(body.subarray(offset, offset + PIECE));
      offset += PIECE;
    },
  });
}

const PIECE = 64 * 1024;

/** POST with Node's `http` module, which (unlike our TestApp) streams the body as a plain client does. */
function postWithHttp(
  url: string,
  key: string,
  body: Buffer,
): Promise<{ status: number; type: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-length': body.length,
      },
    });
    req.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode!,
          type: String(response.headers['content-type']),
          body: JSON.parse(text),
        }),
      );
    });
    req.on('error', reject);
    const write = (offset: number) => {
      if (offset >= body.length) return req.end();
      req.write(body.subarray(offset, offset + PIECE));
      setTimeout(() => write(offset + PIECE), 1);
    };
    write(0);
  });
}

describe('request bodies', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    app = await TestApp.start();
    key = (await app.createCustomer()).key;
  });

  // Generous: closing waits for clients still uploading the rest of a refused 20 MB body.
  afterAll(() => app.close(), 60_000);

  it.each([
    ['application/x-www-form-urlencoded', 'type=conference&name=form'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="type"\r\n\r\nconference\r\n--x--',
    ],
    ['text/plain', JSON.stringify(CONFERENCE)],
    ['application/xml', '<conference type="conference"/>'],
  ])('a %s body is 415 problem+json and creates nothing', async (contentType, rawBody) => {
    const before = await app.request('GET', '/v1/conferences', { key });

    const response = await app.request('POST', '/v1/conferences', {
      key,
      rawBody,
      headers: { 'content-type': contentType },
    });

    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const after = await app.request('GET', '/v1/conferences', { key });
    expect(after.body.result).toHaveLength(before.body.result.length);
  });

  it.each([
    [
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync(JSON.stringify(CONFERENCE)),
    ],
    [
      { 'content-type': 'application/json; charset=utf-16' },
      Buffer.from(JSON.stringify(CONFERENCE), 'utf16le'),
    ],
  ])('a JSON body the parser would misread (%j) is 415, not "malformed JSON"', async (headers, rawBody) => {
    const response = await app.request('POST', '/v1/conferences', { key, rawBody, headers });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('UTF-8 named any way and an identity encoding are JSON as usual', async () => {
    const variants: Record<string, string>[] = [
      { 'content-type': 'application/json; charset=UTF-8' },
      { 'content-type': 'application/json; charset="utf8"', 'content-encoding': 'identity' },
    ];
    for (const headers of variants) {
      const response = await app.request('POST', '/v1/conferences', {
        key,
        rawBody: JSON.stringify(CONFERENCE),
        headers,
      });
      expect(response.status).toBe(201);
    }
  });

  it('an empty body with Content-Type application/json is no body where the body is optional', async () => {
    const call = await app.request('POST', '/v1/calls', { key, body: CALL });

    const hangup = await app.request('POST', `/v1/calls/${call.body.id}/hangup`, {
      key,
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    });

    expect(hangup.status).toBe(200);
    expect(hangup.body.id).toBe(call.body.id);
  });

  it('an empty JSON body where a body is required names the missing fields', async () => {
    const response = await app.request('POST', '/v1/conferences', {
      key,
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed' });
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('type');
  });

  it.each([2_000, 33])('JSON nested %d levels deep is a 400, not a 500', async (levels) => {
    const response = await app.request('POST', '/v1/conferences', { key, rawBody: nested(levels) });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 400, code: 'body_too_deep' });
  });

  it('JSON nested within the bound is accepted', async () => {
    const response = await app.request('POST', '/v1/conferences', { key, rawBody: nested(30) });

    expect(response.status).toBe(201);
  });

  it('a __proto__ key is a 400', async () => {
    const response = await app.request('POST', '/v1/conferences', {
      key,
      rawBody: '{"type":"conference","__proto__":{"admin":true}}',
    });

    expect(response.status).toBe(400);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each([2, 20])(
    'a %d MB body: Node fetch reads the 413 problem+json',
    async (megabytes) => {
      const body = Buffer.from(JSON.stringify({ ...CONFERENCE, name: 'x'.repeat(megabytes * 1024 * 1024) }));

      const response = await fetch(`${app.baseUrl}/v1/conferences`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': String(body.length),
        },
        body: streamed(body),
        duplex: 'half',
      } as RequestInit);

      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 413, code: 'body_too_large' });
    },
    30_000,
  );

  it.each([2, 20])(
    'a %d MB body: Node http reads the 413 problem+json',
    async (megabytes) => {
      const body = Buffer.from(JSON.stringify({ ...CONFERENCE, name: 'x'.repeat(megabytes * 1024 * 1024) }));

      const response = await postWithHttp(`${app.baseUrl}/v1/conferences`, key, body);

      expect(response).toMatchObject({ status: 413, body: { code: 'body_too_large' } });
      expect(response.type).toMatch(/^application\/problem\+json/);
    },
    30_000,
  );

  it('after a 413 the same keep-alive connection serves the next request', async () => {
    const big = JSON.stringify({ ...CONFERENCE, name: 'x'.repeat(2 * 1024 * 1024) });
    const tooLarge = await app.request('POST', '/v1/conferences', { key, rawBody: big });

    const next = await app.request('POST', '/v1/conferences', { key, body: CONFERENCE });

    expect([tooLarge.status, next.status]).toEqual([413, 201]);
  }, 30_000);
});
