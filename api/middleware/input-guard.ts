// The request's raw input, checked before any schema sees it: no NUL byte or lone surrogate in any string
// (path, query, body keys and values), and JSON nested no deeper than MAX_JSON_DEPTH (checked on the text,
// iteratively, before parsing, so no check after it can overflow the stack).
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../domain/errors';
import type { AppEnv } from '../context';

/** Deep enough for any document of the contract (settings, onboarding rows), far below any stack limit. */
export const MAX_JSON_DEPTH = 32;

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A string PostgreSQL can store as sent: no NUL (it has no text representation) and well-formed UTF-16. */
export function isStorableString(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

const refuse = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', 'the request is not valid', { errors: [{ path, message }] });

const UNSTORABLE = 'contains a NUL character or a lone UTF-16 surrogate';

/** The deepest nesting of `{`/`[` in JSON text, stopping as soon as it passes `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > limit) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}

/** The path of the first unstorable key or string in a parsed JSON value (walked with an explicit stack). */
export function findUnstorableString(root: unknown, prefix: string): string | null {
  const stack: [unknown, string][] = [[root, prefix]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (!isStorableString(value)) return path;
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push([item, `${path}.${i}`]));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (!isStorableString(key)) return `${path}.${JSON.stringify(key)}`;
        stack.push([item, `${path}.${key}`]);
      }
    }
  }
  return null;
}

function checkParams(c: Context<AppEnv>): void {
  for (const [name, value] of Object.entries(c.req.param() as Record<string, string>)) {
    if (!isStorableString(value)) throw refuse(`path.${name}`, UNSTORABLE);
  }
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (!isStorableString(name)) throw refuse('query', `a parameter name ${UNSTORABLE}`);
    if (values.some((v) => !isStorableString(v))) throw refuse(`query.${name}`, UNSTORABLE);
  }
}

async function checkBody(c: Context<AppEnv>): Promise<void> {
  if (!BODY_METHODS.has(c.req.method) || !c.req.raw.body) return;
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
  const text = await c.req.text();
  if (!JSON_TYPE.test(mediaType)) {
    if (text.includes('\u0000')) throw refuse('body', 'contains a NUL character');
    return;
  }
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw refuse('body', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return; // the route's validator answers malformed JSON with its own 400
  }
  const path = findUnstorableString(parsed, 'body');
  if (path) throw refuse(path, UNSTORABLE);
}

/** Refuses (400 VALIDATION_FAILED) input no command should ever see; runs on every route after authorisation. */
export function guardInput(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    checkParams(c);
    await checkBody(c);
    return next();
  };
}
