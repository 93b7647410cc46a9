// The refusals of a signed-in user re-proving a password or a code: 400, so a portal does not read them as a
// lost session (API.md, error codes).
import { AppError } from '../errors';

export const wrongCurrentPassword = () =>
  new AppError('INVALID_CREDENTIALS', 'the current password is not correct', { status: 400 });

export const wrongCode = () =>
  new AppError('INVALID_MFA_CODE', 'the code is not valid (or was already used)', { status: 400 });
