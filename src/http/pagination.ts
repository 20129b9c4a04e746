import { createHash } from 'node:crypto';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryInteger } from './query-integer';
import { InputValidationError } from './validation';

/** Every list of this API pages the same way: newest first, by (creation time, id), 20 rows unless asked. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * Where the previous page stopped: the (creation time, id) of its last row. Keyset paging, so a row added
 * meanwhile neither repeats nor shifts a page (offset paging would), and deep pages cost what the first does.
 */
export interface PageCursor {
  created: string;
  id: string;
}

export interface Page<View> {
  result: View[];
  next_page_token: string | null;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ID = /^[0-9a-f-]{1,64}$/;

/** Opaque to clients (base64url JSON), so the order behind it can change without breaking the API. */
export function encodePageToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.created, cursor.id]), 'utf8').toString('base64url');
}

/** A token we did not issue is a 400 naming the field, never a query with garbage in it. */
export function decodePageToken(token: string, field = 'page_token'): PageCursor {
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
    !ID.test(parsed[1])
  ) {
    throw new InputValidationError([{ field, message: `${field} is not a token returned by this API` }]);
  }
  return { created: parsed[0], id: parsed[1] };
}

/** The cursor of a request's `page_token`, or null for the first page. */
export function pageCursorOf(query: { page_token?: string }): PageCursor | null {
  return query.page_token === undefined ? null : decodePageToken(query.page_token);
}

/** Query parameters that size a page rather than choose its rows: they may change between pages. */
const PAGE_SIZE_PARAMETERS = new Set(['page_token', 'page_size', 'limit']);

/** 9 hash bytes: 12 base64url characters. */
const TAG_LENGTH = 12;

function filterTag(path: string, query: Record<string, unknown>): string {
  const filter = Object.entries(query)
    .filter(([name]) => !PAGE_SIZE_PARAMETERS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([path, filter]))
    .digest()
    .subarray(0, 9)
    .toString('base64url');
}

/**
 * Ties a page token to the list and filter it was issued for (`<cursor><tag>`, the tag a fixed-length
 * base64url hash, so the token stays URL-safe): the cursor is a position
 * in one ordering of one set of rows, so the same token with another filter would page through rows the
 * client never asked for. Not a secret: a forged tag only pages the caller's own data.
 */
export function bindPageToken(token: string, path: string, query: Record<string, unknown>): string {
  return token + filterTag(path, query);
}

/** The cursor part of a bound token, or a 400 when it was issued for another list or filter. */
export function unbindPageToken(bound: string, path: string, query: Record<string, unknown>): string {
  const split = bound.length - TAG_LENGTH;
  if (split <= 0) {
    throw new InputValidationError([
      { field: 'page_token', message: 'page_token is not a token returned by this API' },
    ]);
  }
  if (bound.slice(split) !== filterTag(path, query)) {
    throw new InputValidationError([
      { field: 'page_token', message: 'page_token belongs to another list or filter; ask again without it' },
    ]);
  }
  return bound.slice(0, split);
}

/** Splits a `pageSize + 1` fetch into the page and the token of the next one (null on the last page). */
export function pageOf<Row, View>(
  rows: Row[],
  pageSize: number,
  toView: (row: Row) => View,
  cursorOf: (row: Row) => PageCursor,
): Page<View> {
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const next = rows.length > pageSize && last !== undefined ? encodePageToken(cursorOf(last)) : null;
  return { result: page.map(toView), next_page_token: next };
}

export class PageTokenRequest {
  @ApiPropertyOptional({ description: 'Opaque `next_page_token` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  page_token?: string;
}

export class PageRequest extends PageTokenRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size?: number;
}
