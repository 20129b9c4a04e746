import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * Deeper JSON than any DTO of this API needs (client `metadata` included). Bounding it where the body is
 * parsed keeps recursive code downstream (class-transformer, class-validator, the fingerprint) from
 * overflowing the stack on a small hostile body: 2,000 levels fit in 4 KB.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The API speaks JSON only. Nest's default parsers (JSON and urlencoded forms) are switched off
 * (`bodyParser: false` where the app is created) and this one is the only parser: every other media type is
 * Fastify's 415. An empty body with `Content-Type: application/json` is no body (curl sends the header on a
 * bare POST), so routes whose body is optional accept it and the others list their missing fields.
 * `__proto__` and `constructor.prototype` keys are refused, as Fastify's own JSON parser does.
 */
export function useJsonBodyParser(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
      const refusal = unsupportedEncoding(request);
      if (refusal) return done(new UnsupportedMediaTypeException(refusal));
      const text = body.toString();
      if (text.trim() === '') return done(null, undefined);
      if (nestingDepth(text) > MAX_JSON_DEPTH) {
        return done(new BadRequestException(`JSON body nested deeper than ${MAX_JSON_DEPTH} levels`));
      }
      // Fastify's default parser answers through `done`; its Promise-typed return carries nothing.
      void parseJson(request, text, done);
    },
  );
}

/**
 * A body this parser would misread: compressed (it would be parsed as text and answer "not JSON") or in
 * a charset other than UTF-8 (parsed as UTF-8 anyway). RFC 9110 answers both with 415.
 */
function unsupportedEncoding(request: FastifyRequest): string | null {
  const coding = request.headers['content-encoding']?.trim().toLowerCase();
  if (coding && coding !== 'identity')
    return `Content-Encoding ${coding} is not supported; send the body as is`;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) return `charset ${charset} is not supported; send UTF-8`;
  return null;
}

/** Deepest `[`/`{` nesting outside strings; a linear scan, cheaper than parsing. */
export function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}
