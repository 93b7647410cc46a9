// The one mapping of failures to AppErrors (db/errors.ts, api/errors.ts), the worker's non-retryable rule,
// the input guard's string and depth checks, and cursor validation.
import { ApplicationFailure } from '@temporalio/common';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { toAppError } from '../../api/errors';
import { findUnstorableString, isStorableString, jsonDepthExceeds } from '../../api/middleware/input-guard';
import { decodeCursor, encodeCursor } from '../../api/pagination';
import { appErrorFromDatabase } from '../../db/errors';
import { AppError } from '../../domain/errors';
import { nonRetryableFailure } from '../../worker/interceptors';

/** A driver error as MikroORM rethrows it: the pg fields copied onto a DriverException. */
const pgError = (code: string, constraint?: string) =>
  Object.assign(new Error(`insert into x values ('secret') - boom`), { code, constraint });

describe('database errors -> AppError', () => {
  it.each([
    ['22021', 'VALIDATION_FAILED', 400], // NUL in text
    ['22P05', 'VALIDATION_FAILED', 400], // \u0000 in jsonb
    ['08P01', 'VALIDATION_FAILED', 400], // NUL in inlined SQL
    ['22008', 'VALIDATION_FAILED', 400], // date out of range
    ['22007', 'VALIDATION_FAILED', 400],
    ['22001', 'VALIDATION_FAILED', 400], // too long for the column
    ['22003', 'VALIDATION_FAILED', 400],
    ['54001', 'VALIDATION_FAILED', 400], // stack depth (deep jsonb)
    ['23502', 'VALIDATION_FAILED', 400],
    ['23514', 'VALIDATION_FAILED', 400],
    ['23505', 'CONFLICT', 409],
    ['23503', 'CONFLICT', 409],
    ['40001', 'SERVICE_UNAVAILABLE', 503],
    ['40P01', 'SERVICE_UNAVAILABLE', 503],
    ['08006', 'SERVICE_UNAVAILABLE', 503],
    ['57P01', 'SERVICE_UNAVAILABLE', 503],
    ['53300', 'SERVICE_UNAVAILABLE', 503],
    ['57014', 'SERVICE_UNAVAILABLE', 503],
  ])('SQLSTATE %s is %s (%i)', (code, expected, status) => {
    const mapped = toAppError(pgError(code));
    expect(mapped?.code).toBe(expected);
    expect(mapped?.status).toBe(status);
    expect(mapped?.message).not.toContain('secret');
  });

  it('the balance range check is 422 LIMIT_EXCEEDED; other checks are not', () => {
    expect(appErrorFromDatabase(pgError('23514', 'ledger_account_balance_range'))?.code).toBe(
      'LIMIT_EXCEEDED',
    );
    expect(appErrorFromDatabase(pgError('23514', 'transfer_amount_check'))?.code).toBe('VALIDATION_FAILED');
  });

  it('finds the SQLSTATE in the cause chain, and never mistakes an errno for one', () => {
    expect(appErrorFromDatabase(new Error('wrapped', { cause: pgError('22P02') }))?.code).toBe(
      'VALIDATION_FAILED',
    );
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    expect(appErrorFromDatabase(epipe)?.code).toBe('SERVICE_UNAVAILABLE');
    expect(appErrorFromDatabase(new Error('Connection terminated unexpectedly'))?.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    expect(appErrorFromDatabase(new RangeError('a bug'))).toBeNull();
    expect(appErrorFromDatabase(pgError('42P01'))).toBeNull(); // undefined table: our bug, a 500
  });

  it('Retry-After accompanies every 503', () => {
    expect(toAppError(pgError('40001'))?.options.headers).toEqual({ 'Retry-After': '1' });
  });
});

describe('HTTP-layer errors -> AppError', () => {
  it.each([
    [400, 'VALIDATION_FAILED'],
    [401, 'UNAUTHENTICATED'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
  ] as const)('HTTPException %i is %s', (status, code) => {
    expect(toAppError(new HTTPException(status))?.code).toBe(code);
  });
});

describe('non-retryable activity failures', () => {
  it('a data error becomes non-retryable with the AppError code as type, without the SQL text', () => {
    const failure = nonRetryableFailure(pgError('22021'));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'VALIDATION_FAILED', nonRetryable: true });
    expect(failure!.message).not.toContain('secret');
    expect(nonRetryableFailure(pgError('23514', 'ledger_account_balance_range'))?.type).toBe(
      'LIMIT_EXCEEDED',
    );
  });

  it('a 4xx AppError is non-retryable; infrastructure errors and 5xx stay retryable', () => {
    expect(nonRetryableFailure(new AppError('CONFLICT', 'x'))).toMatchObject({
      type: 'CONFLICT',
      nonRetryable: true,
    });
    expect(nonRetryableFailure(new AppError('SERVICE_UNAVAILABLE', 'x'))).toBeNull();
    expect(nonRetryableFailure(pgError('40001'))).toBeNull();
    expect(nonRetryableFailure(pgError('57P01'))).toBeNull();
    expect(nonRetryableFailure(new Error('ECONNREFUSED'))).toBeNull();
    expect(nonRetryableFailure(ApplicationFailure.retryable('x', 'Y'))).toBeNull();
  });
});

describe('the input guard', () => {
  it('refuses NUL and lone surrogates, accepts pairs, RTL and emoji', () => {
    for (const bad of ['\u0000', 'a\u0000', '\ud800', 'x\udc00', '\udc00\ud800', 'a\ud83d']) {
      expect(isStorableString(bad), JSON.stringify(bad)).toBe(false);
    }
    for (const good of ['', 'plain', '\u202eevil', '😀', 'שלום', '\ud83d\ude00', 'é'.repeat(10_000)]) {
      expect(isStorableString(good), good).toBe(true);
    }
  });

  it('measures JSON depth on the text, ignoring brackets inside strings, without recursion', () => {
    expect(jsonDepthExceeds('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"[[[["}', 2)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(1_000_000), 32)).toBe(true);
  });

  it('finds an unstorable key or value anywhere in a parsed document', () => {
    expect(findUnstorableString({ a: [1, { b: 'ok' }] }, 'body')).toBeNull();
    expect(findUnstorableString({ a: [1, { b: 'x\u0000' }] }, 'body')).toBe('body.a.1.b');
    expect(findUnstorableString({ a: { '\ud800': 1 } }, 'body')).toBe('body.a."\\ud800"');
  });
});

describe('cursors', () => {
  const id = '0b6f9f3e-6d6f-4d7c-9a7e-2f0f2d7d6a11';
  const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('round-trips what the API writes', () => {
    const createdAt = new Date('2026-11-21T10:00:00.123Z');
    expect(decodeCursor(encodeCursor({ createdAt, id }))).toEqual({ createdAt: createdAt.toISOString(), id });
    expect(decodeCursor(encodeCursor({ createdAt, id: 42n }))).toEqual({
      createdAt: createdAt.toISOString(),
      id: '42',
    });
  });

  it('accepts the microsecond timestamps PostgreSQL renders for cursors', () => {
    const createdAt = '2026-11-21T10:00:00.123456Z';
    expect(decodeCursor(encodeCursor({ createdAt, id }))).toEqual({ createdAt, id });
  });

  it.each([
    ['year 0000', cursor(['0000-01-01T00:00:00.000Z', id])],
    ['a loose date', cursor(['1 2', id])],
    ['an expanded year', cursor(['+275760-09-13T00:00:00.000Z', id])],
    ['an impossible day', cursor(['2026-02-30T00:00:00.000Z', id])],
    ['a non-UUID id', cursor(['2026-01-01T00:00:00.000Z', 'abc'])],
    ['a bigint beyond int8', cursor(['2026-01-01T00:00:00.000Z', '99999999999999999999'])],
    ['three elements', cursor(['2026-01-01T00:00:00.000Z', id, 1])],
    ['an object', cursor({ createdAt: '2026-01-01T00:00:00.000Z', id })],
    ['not base64 JSON', '%%%'],
  ])('refuses %s with 400 VALIDATION_FAILED', (_, value) => {
    expect(() => decodeCursor(value)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
