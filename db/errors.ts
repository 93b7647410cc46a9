// PostgreSQL errors (SQLSTATE classes, named constraints) and connection failures as AppErrors, in one place:
// the API renders them as problem+json, the worker turns data errors into non-retryable activity failures.
import { AppError } from '../domain/errors';

/** Largest amount the API can express (2^53-1 minor units); ledger balances are capped at it by a CHECK. */
export const MAX_LEDGER_AMOUNT = '9007199254740991';

/** Named CHECK constraints whose violation is a business limit, not malformed input. */
const LIMIT_CONSTRAINTS: Record<string, string> = {
  ledger_account_balance_range: `a balance cannot exceed ${MAX_LEDGER_AMOUNT} minor units`,
};

/** Errors of the connection, not of the request (node-postgres and Node's socket errors). */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
];

/** A SQLSTATE: a digit-led class, or P0 (PL/pgSQL), XX (internal), F0 (config), HV (FDW); never an errno. */
const SQLSTATE = /^([0-9][0-9A-Z]|P0|XX|F0|HV)[0-9A-Z]{3}$/;

interface PostgresErrorFields {
  code: string;
  constraint?: string;
  message: string;
}

/** The PostgreSQL error (5-character SQLSTATE) in `err` or its cause chain, as MikroORM and pg report it. */
export function postgresError(err: unknown): PostgresErrorFields | null {
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, constraint, message } = current as {
      code?: unknown;
      constraint?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string' && SQLSTATE.test(code)) {
      return {
        code,
        constraint: typeof constraint === 'string' ? constraint : undefined,
        message: typeof message === 'string' ? message : '',
      };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function isConnectionFailure(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && CONNECTION_ERRNOS.has(code)) return true;
    if (name === 'ConnectionException') return true;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((re) => re.test(message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

const retryLater = (message: string) =>
  new AppError('SERVICE_UNAVAILABLE', message, { headers: { 'Retry-After': '1' } });

/**
 * The input's fault, never retried: class 22 (data exception), 23 (integrity), 54 (program limit), and 08P01
 * (protocol violation), which is what PostgreSQL answers when a NUL byte reaches the query text (MikroORM
 * inlines parameters client-side, and the protocol's strings are NUL-terminated).
 */
export function isDataErrorState(code: string): boolean {
  return /^(22|23|54)/.test(code) || code === '08P01';
}

function fromSqlState({ code, constraint }: PostgresErrorFields): AppError | null {
  if (code === '23514' && constraint && LIMIT_CONSTRAINTS[constraint]) {
    return new AppError('LIMIT_EXCEEDED', LIMIT_CONSTRAINTS[constraint]);
  }
  if (code === '23505')
    return new AppError('CONFLICT', 'a resource with the same unique value already exists');
  if (code === '23503' || code === '23P01') {
    return new AppError('CONFLICT', 'the change refers to a resource that does not exist or is still in use');
  }
  if (isDataErrorState(code))
    return new AppError('VALIDATION_FAILED', 'a value is out of range or malformed');
  if (code === '40001' || code === '40P01') return retryLater('concurrent update, please retry');
  // 08 connection, 53 insufficient resources, 55P03 lock timeout, 57014 statement timeout, 57P0x shutdown.
  if (/^(08|53|57P)/.test(code) || code === '55P03' || code === '57014') {
    return retryLater('the database is unavailable, please retry');
  }
  return null;
}

/** The AppError a database failure stands for, or null for a failure that is our own bug (answered 500). */
export function appErrorFromDatabase(err: unknown): AppError | null {
  const pg = postgresError(err);
  if (pg) return fromSqlState(pg);
  return isConnectionFailure(err) ? retryLater('the database is unavailable, please retry') : null;
}
