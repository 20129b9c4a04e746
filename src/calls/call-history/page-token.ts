import { InputValidationError } from '../../http/validation';

/** Where the previous page stopped: the (created, call_id) of its last row. */
export type Cursor = { created: string; callId: string };

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CALL_ID = /^[0-9a-f-]{1,64}$/;

/**
 * Opaque to clients (base64url JSON), but only the keyset position: a token is not bound to the filters,
 * so a client that changes filters between pages simply continues from that position.
 */
export function encodePageToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.created, cursor.callId]), 'utf8').toString('base64url');
}

/** A token we did not issue is a 400 naming `page_token`, never a query with garbage in it. */
export function decodePageToken(token: string, field = 'page_token'): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !ISO_UTC.test(parsed[0]) ||
    !CALL_ID.test(parsed[1])
  ) {
    throw new InputValidationError([{ field, message: `${field} is not a token returned by this API` }]);
  }
  return { created: parsed[0], callId: parsed[1] };
}
