// How an activity adapter reports a command's business refusal: a non-retryable failure typed with the AppError
// code (the API's one failure translator turns it back into the same code). Other errors retry.
import { ApplicationFailure } from '@temporalio/activity';
import { AppError } from '../domain/errors';

export async function refusalsFinal<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError) throw ApplicationFailure.nonRetryable(err.message, err.code);
    throw err;
  }
}
