import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { type HttpResponse, TestApp } from '../support/test-app';

/**
 * Issue 11, defect 8: a client-chosen call id is a global name. One that is taken answers the same 409,
 * byte for byte, whether this tenant holds it with other settings or another tenant holds it (even with
 * the very same request): the answer says "not available to you", never whose it is or what state it is in.
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
});
