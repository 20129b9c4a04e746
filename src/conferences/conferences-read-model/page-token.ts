import { InputValidationError } from '../../http/validation';

/**
 * Keyset paging over (tm_create DESC, id DESC): the token names the last row of the page, so a row inserted
 * meanwhile neither repeats nor shifts a page (offset paging would). Opaque to clients: base64url JSON, so
 * the order can change later without breaking the API's promise.
 */
export interface PageCursor {
  tmCreate: string;
  id: string;
}

export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.tmCreate, cursor.id]), 'utf8').toString('base64url');
}

/** Throws a 400 naming `page_token` for anything this API did not issue. */
export function decodePageToken(token: string): PageCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      typeof decoded[0] === 'string' &&
      typeof decoded[1] === 'string'
    )
      return { tmCreate: decoded[0], id: decoded[1] };
  } catch {
    // falls through to the validation error
  }
  throw new InputValidationError([{ field: 'page_token', message: 'page_token is not a token of this API' }]);
}

/** Splits a `pageSize + 1` fetch into the page and the token of the next one (null on the last page). */
export function pageOf<Row, View>(
  rows: Row[],
  pageSize: number,
  toView: (row: Row) => View,
  cursorOf: (row: Row) => PageCursor,
): { result: View[]; next_page_token: string | null } {
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const next = rows.length > pageSize && last !== undefined ? encodePageToken(cursorOf(last)) : null;
  return { result: page.map(toView), next_page_token: next };
}
