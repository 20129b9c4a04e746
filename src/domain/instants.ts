/** Instants in the domain are ISO-8601 strings as events carry them; arithmetic on them lives here. */

/** `iso` moved `seconds` later, as an ISO-8601 instant (UTC, milliseconds). */
export function plusSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}
