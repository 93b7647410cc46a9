// HTTP helpers over app.request(): JSON in, parsed JSON out, optional bearer token.
import type { TestContext } from './context';

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string | Uint8Array;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(
  ctx: TestContext,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await ctx.app.request(path, { method, headers, body: body as string | undefined });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // non-JSON bodies (docs page) stay text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Asserts the RFC 9457 shape and returns the body for further checks. */
export function expectProblem(res: CallResult, status: number, code: string): any {
  if (res.status !== status || res.body?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  if (!res.headers.get('content-type')?.includes('application/problem+json')) {
    throw new Error(`expected application/problem+json, got ${res.headers.get('content-type')}`);
  }
  return res.body;
}
