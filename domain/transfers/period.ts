// A listing's period: `from` must not be after `to` (400 VALIDATION_FAILED naming query.from).
import { AppError } from '../errors';

export function assertPeriod(query: { from?: string; to?: string }): void {
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
    throw new AppError('VALIDATION_FAILED', '`from` is after `to`', {
      errors: [{ path: 'query.from', message: 'must not be after to' }],
    });
  }
}
