import { CALL_CONTROL_EVENT_TYPES } from '../../src/calls/call-control';
import { CALL_CONTROL_PROPERTIES } from '../../src/event-catalog/call-control-schemas';
import { publicTypeOf } from '../../src/event-catalog/public-event-mapping';
import { publicEventType } from '../../src/event-catalog/public-event-types';
import { CALL_SCHEMA } from '../../src/event-catalog/resource-schemas';

describe('call-control events in the public catalogue', () => {
  it.each(CALL_CONTROL_EVENT_TYPES)('%s maps to a catalogued call type', (type) => {
    const published = publicTypeOf('call', type, {});
    expect(published).not.toBeNull();
    expect(publicEventType(published as string)).toMatchObject({ resource: 'call', version: 1 });
  });

  it('names the feed types the README promises', () => {
    expect(CALL_CONTROL_EVENT_TYPES.map((type) => publicTypeOf('call', type, {}))).toEqual([
      'call.actions_queued',
      'call.action_started',
      'call.updated',
      'call.action_finished',
      'call.message_added',
      'call.transferred',
      'call.transfer_failed',
      'call.updated',
      'call.amd_detected',
    ]);
  });

  it('the call schema requires every call-control field of the view', () => {
    expect(CALL_SCHEMA.required).toEqual(expect.arrayContaining(Object.keys(CALL_CONTROL_PROPERTIES)));
  });
});
