import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ResolveAll, safeLookup } from '../../src/webhooks/pinned-lookup';
import { sendWebhook } from '../../src/webhooks/webhook-sender';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const AT = new Date('2026-01-01T00:00:00.000Z');

/** A resolver that answers `addresses` for any host and counts how often it was asked. */
function fakeResolver(addresses: LookupAddress[]): ResolveAll & { calls: string[] } {
  const calls: string[] = [];
  const resolve = ((hostname, callback) => {
    calls.push(hostname);
    callback(null, addresses);
  }) as ResolveAll & { calls: string[] };
  resolve.calls = calls;
  return resolve;
}

function lookupOnce(lookup: ReturnType<typeof safeLookup>, all: boolean) {
  return new Promise<{ error: Error | null; address: unknown }>((resolve) =>
    lookup('rebind.example', { all }, (error, address) => resolve({ error, address })),
  );
}

describe('pinned lookup (DNS rebinding)', () => {
  it('refuses a host whose lookup answers a private address', async () => {
    const lookup = safeLookup(false, fakeResolver([{ address: '10.0.0.5', family: 4 }]));
    const { error } = await lookupOnce(lookup, false);
    expect(error?.message).toMatch(/private, loopback or link-local/);
  });

  it('refuses when any of several addresses is private (cloud metadata hidden behind a public one)', async () => {
    const lookup = safeLookup(
      false,
      fakeResolver([
        { address: '93.184.216.34', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ]),
    );
    expect((await lookupOnce(lookup, true)).error).not.toBeNull();
  });

  it('lets a public IPv4 address through (no IPv4-mapped rule swallowing all of IPv4)', async () => {
    const lookup = safeLookup(false, fakeResolver([{ address: '93.184.216.34', family: 4 }]));
    expect((await lookupOnce(lookup, false)).error).toBeNull();
    const mapped = safeLookup(false, fakeResolver([{ address: '::ffff:127.0.0.1', family: 6 }]));
    expect((await lookupOnce(mapped, false)).error).not.toBeNull();
  });

  it('answers public addresses in the shape net.connect asked for', async () => {
    const resolver = fakeResolver([{ address: '93.184.216.34', family: 4 }]);
    const lookup = safeLookup(false, resolver);
    expect(await lookupOnce(lookup, true)).toEqual({
      error: null,
      address: [{ address: '93.184.216.34', family: 4 }],
    });
    expect(await lookupOnce(lookup, false)).toEqual({ error: null, address: '93.184.216.34' });
  });

  describe('a delivery to a host name', () => {
    let server: Server;
    let hits: number;
    beforeAll(async () => {
      hits = 0;
      server = createServer((_, response) => {
        hits++;
        response.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = () => (server.address() as AddressInfo).port;
    /** One delivery to `host` on the local receiver's port, resolved by `resolver` only. */
    const sendVia = (resolver: ReturnType<typeof fakeResolver>, host: string, allowPrivateTargets: boolean) =>
      sendWebhook(
        {
          url: `http://${host}:${port()}/hook`,
          messageId: `msg_${host}`,
          body: '{}',
          secrets: [SECRET],
          at: AT,
        },
        { timeoutMs: 2000, allowPrivateTargets, resolveAll: resolver },
      );

    it('never connects when the name resolves to loopback, even though the URL looked public', async () => {
      const resolver = fakeResolver([{ address: '127.0.0.1', family: 4 }]);
      const result = await sendVia(resolver, 'rebind.example', false);
      expect(result.statusCode).toBeNull();
      expect(result.error).toMatch(/private, loopback or link-local/);
      expect(hits).toBe(0);
      expect(resolver.calls).toEqual(['rebind.example']);
    });

    it('connects to the address the lookup returned, not to a second resolution', async () => {
      const resolver = fakeResolver([{ address: '127.0.0.1', family: 4 }]);
      const result = await sendVia(resolver, 'pinned.example', true);
      expect(result.statusCode).toBe(200);
      expect(hits).toBe(1);
      expect(resolver.calls).toEqual(['pinned.example']);
    });

    it('the sender turns a failed lookup into a failed attempt, and sends nothing', async () => {
      // A name that does not resolve: the lookup fails, the attempt is a result, never a throw.
      const result = await sendWebhook(
        { url: 'http://rebind.invalid/hook', messageId: 'msg_1', body: '{}', secrets: [SECRET], at: AT },
        { timeoutMs: 2000, allowPrivateTargets: false },
      );
      expect(result.statusCode).toBeNull();
      expect(result.error).toBeTruthy();
      expect(hits).toBe(1);
    });
  });
});
