import type { FastifyInstance } from 'fastify';
import { DomainError } from '@emporium/kit';

/** Deeper JSON than this is refused at the edge: no legitimate body nests that far, and parsers recurse. */
export const MAX_JSON_DEPTH = 32;

/** Deepest nesting of objects and arrays in `body`, counted without parsing (brackets inside strings skipped). */
export function jsonDepth(body: Buffer, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest && (deepest = depth) > stopAbove) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
const isJson = (contentType: string | undefined) => !!contentType && JSON_TYPE.test(contentType);

// A dot segment, literal or percent-encoded: services must never see a path that climbs out of its prefix.
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$|\?)/i;

/**
 * The gateway forwards bodies untouched, so it does the checks that need no service: size (413, set by
 * bodyLimit), JSON nesting depth (400) and paths with dot segments (400). Nothing refused is forwarded.
 */
export function requestShape(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    const buffer = body as Buffer;
    if (isJson(req.headers['content-type']) && jsonDepth(buffer, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      const detail = `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`;
      done(new DomainError('json_too_deep', 'validation', detail), undefined);
      return;
    }
    done(null, buffer);
  });

  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0]!;
    if (DOT_SEGMENT.test(path) || path.includes('\\')) {
      const detail = 'The path may not contain "." or ".." segments or backslashes.';
      throw new DomainError('invalid_path', 'validation', detail);
    }
  });
}
