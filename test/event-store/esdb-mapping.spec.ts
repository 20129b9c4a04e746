import { fromServerMetadata, toServerMetadata } from '../../src/event-store/esdb/esdb-mapping';

const ours = {
  correlation_id: 'corr-1',
  causation_id: 'cause-1',
  customer_id: 'customer-1',
  actor: 'key:k1',
};

describe('EventStoreDB metadata mapping ($correlationId, $causationId)', () => {
  it('writes both conventions', () => {
    expect(toServerMetadata(ours)).toEqual({ ...ours, $correlationId: 'corr-1', $causationId: 'cause-1' });
  });

  it('reads back what it wrote as the port metadata, without the $ keys', () => {
    expect(fromServerMetadata(toServerMetadata(ours))).toEqual(ours);
  });

  it('reads correlation and causation from the $ keys of events written by other tools', () => {
    const foreign = { $correlationId: 'corr-x', $causationId: 'cause-x', customer_id: 'c', actor: 'tool' };
    expect(fromServerMetadata(foreign)).toEqual({
      correlation_id: 'corr-x',
      causation_id: 'cause-x',
      customer_id: 'c',
      actor: 'tool',
    });
  });

  it('prefers our keys when both are present and disagree', () => {
    const both = { ...ours, $correlationId: 'other', $causationId: 'other' };
    expect(fromServerMetadata(both)).toEqual(ours);
  });

  it('passes metadata without $ keys through unchanged', () => {
    expect(fromServerMetadata({ ...ours })).toEqual(ours);
  });
});
