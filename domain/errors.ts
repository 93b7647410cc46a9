// The closed set of error codes of the HTTP contract and the one error type that carries them.
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_TOKEN: 400,
  IMMUTABLE_FIELD: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_MFA_CODE: 401,
  FORBIDDEN: 403,
  ACCOUNT_DISABLED: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  MFA_REQUIRED: 403,
  APPROVAL_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ROLE_IN_USE: 409,
  EMAIL_TAKEN: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  TRANSFER_NOT_CANCELLABLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INSUFFICIENT_FUNDS: 422,
  WALLET_NOT_ACTIVE: 422,
  CURRENCY_MISMATCH: 422,
  LIMIT_EXCEEDED: 422,
  CHANNEL_UNAVAILABLE: 422,
  DESTINATION_NOT_FOUND: 422,
  INVALID_REFERRAL_CODE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldProblem {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { errors?: FieldProblem[]; status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = options.status ?? ERROR_STATUS[code];
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_STATUS;
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'your role does not allow this') => new AppError('FORBIDDEN', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const validationFailed = (message: string, errors?: FieldProblem[]) =>
  new AppError('VALIDATION_FAILED', message, errors ? { errors } : {});
