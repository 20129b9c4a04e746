/**
 * Number streams are `number-<digits of the E.164 number>` (`+15551234567` → `number-15551234567`), so
 * the stream id IS the uniqueness key and an EventStoreDB category (`$ce-number`) groups them.
 */
export const NUMBER_STREAM_PREFIX = 'number-';

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** The stream key of a valid E.164 number: its digits. */
export function numberKey(phoneNumber: string): string {
  return phoneNumber.slice(1);
}

export function numberStreamId(phoneNumber: string): string {
  return `${NUMBER_STREAM_PREFIX}${numberKey(phoneNumber)}`;
}

/** The E.164 number of a number stream, or null for any other stream. */
export function phoneNumberFromStream(streamId: string): string | null {
  return streamId.startsWith(NUMBER_STREAM_PREFIX) ? `+${streamId.slice(NUMBER_STREAM_PREFIX.length)}` : null;
}
