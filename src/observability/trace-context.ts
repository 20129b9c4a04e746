/**
 * W3C Trace Context `traceparent`: version-traceid-parentid-flags, lowercase hex. Versions above 00 may
 * append fields (kept); version ff and all-zero ids are invalid and ignored, as the spec says.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[^\s]*)?$/;

/** The header when it is a valid `traceparent`, else undefined (an invalid one starts no trace). */
export function validTraceparent(header: unknown): string | undefined {
  if (typeof header !== 'string' || header.length > 256) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, , rest] = match;
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  if (version === '00' && rest) return undefined;
  return match[0];
}

/** The trace id inside a valid `traceparent`. */
export function traceIdOf(traceparent: string): string {
  return traceparent.slice(3, 35);
}
