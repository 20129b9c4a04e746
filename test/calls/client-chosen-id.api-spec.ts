import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { type HttpResponse, TestApp } from '../support/test-app';

/**
 * Issue 11, defect 8: a client-chosen call id is a global name. One that is taken answers the same 409,
 * byte for byte, whether this tenant holds it with other settings or another tenant holds it (even with
 * the very same request): the answer says "not available to you", never whose it is or what state it is in.
 * Headers too (no Location, ETag or position), with or without preconditions and Idempotency-Key.
 */
describe('client-chosen call ids', () => {
  let api: TestApp;
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    api = await TestApp.start({
      clock: new FixedClock('2026-01-01T00:00:00.000Z'),
      ids: new SequentialIds(),
    });
    mine = (await api.createCustomer('Mine')).key;
    theirs = (await api.createCustomer('Theirs')).key;
  });
  afterAll(() => api.close());

  const make = (key: string, body: object) => api.request('POST', '/v1/calls', { key, body });
  const refusal = (response: HttpResponse) => ({ status: response.status, body: response.body });

  it('answers a foreign taken id exactly like an own id taken with other settings', async () => {
    const ownId = '0190aaaa-0000-7000-8000-000000000001';
    const foreignId = '0190aaaa-0000-7000-8000-000000000002';
    const request = { contact_id: 'jj084', type: 'voice' };
    expect((await make(mine, { ...request, id: ownId })).status).toBe(201);
    expect((await make(theirs, { ...request, id: foreignId })).status).toBe(201);

    const ownClash = await make(mine, { ...request, type: 'video', id: ownId });
    const foreignSame = await make(mine, { ...request, id: foreignId });
    const foreignOther = await make(mine, { ...request, type: 'video', id: foreignId });

    expect(ownClash.status).toBe(409);
    const blank = (r: HttpResponse, id: string) =>
      JSON.parse(JSON.stringify(refusal(r)).replaceAll(id, 'ID')) as unknown;
    expect(blank(foreignSame, foreignId)).toEqual(blank(ownClash, ownId));
    expect(blank(foreignOther, foreignId)).toEqual(blank(ownClash, ownId));
    // Nothing but the problem itself: no status of the call, no revision, no owner.
    expect(Object.keys(foreignSame.body).sort()).toEqual(['code', 'instance', 'status', 'title', 'type']);
    // The owner's call is untouched and still its own.
    const owner = await api.request('GET', `/v1/calls/${foreignId}`, { key: theirs });
    expect(owner.body.type).toBe('voice');
  });

  /** The whole answer as a client sees it: status, every header but `date`, the body's exact bytes. */
  const raw = async (key: string, body: object, headers: Record<string, string> = {}) => {
    const response = await fetch(`${api.baseUrl}/v1/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const kept = [...response.headers].filter(([name]) => name !== 'date');
    return { status: response.status, headers: kept, text };
  };
  const withoutId = (answer: Awaited<ReturnType<typeof raw>>, id: string) => ({
    ...answer,
    text: answer.text.replaceAll(id, 'ID'),
  });

  it.each([
    ['no precondition', 1, {}],
    ['If-None-Match: *', 2, { 'if-none-match': '*' }],
    ['If-Match', 3, { 'if-match': '"0"' }],
  ])(
    'refuses byte for byte alike whoever holds the id (%s), and keeps no Idempotency-Key for either',
    async (_, n, extra) => {
      const ownId = `0190bbbb-0000-7000-8000-00000000000${n}`;
      const foreignId = `0190bbbb-0000-7000-8000-00000000001${n}`;
      const request = { contact_id: 'jj084', type: 'voice' };
      expect((await raw(mine, { ...request, id: ownId })).status).toBe(201);
      expect((await raw(theirs, { ...request, id: foreignId })).status).toBe(201);

      const ownClash = await raw(
        mine,
        { ...request, type: 'video', id: ownId },
        { ...extra, 'idempotency-key': 'own' },
      );
      const foreign = await raw(
        mine,
        { ...request, id: foreignId },
        { ...extra, 'idempotency-key': 'foreign' },
      );
      expect(ownClash.status).toBe(409);
      expect(ownClash.headers.map(([name]) => name)).not.toEqual(
        expect.arrayContaining(['location', 'etag', 'switchboard-position', 'idempotent-replayed']),
      );
      expect(withoutId(foreign, foreignId)).toEqual(withoutId(ownClash, ownId));

      // A refusal is not remembered under its key: the same retry is decided again and refused the same way
      // (no replay header, no 409 in_progress), for the own id and the foreign one alike.
      const ownAgain = await raw(
        mine,
        { ...request, type: 'video', id: ownId },
        { ...extra, 'idempotency-key': 'own' },
      );
      const foreignAgain = await raw(
        mine,
        { ...request, id: foreignId },
        { ...extra, 'idempotency-key': 'foreign' },
      );
      expect(withoutId(ownAgain, ownId)).toEqual(withoutId(ownClash, ownId));
      expect(withoutId(foreignAgain, foreignId)).toEqual(withoutId(ownClash, ownId));
    },
  );
});
