// Failure injection for workflow starts: the real Temporal client, with an interceptor that refuses every start.
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { appWith, type TestContext } from './context';

const refuse = (): never => {
  throw new Error('injected failure: the workflow start did not reach Temporal');
};

/** A copy of `ctx` whose app's Temporal client fails every workflow start (signals, queries still work). */
export function withFailingWorkflowStarts(ctx: TestContext): TestContext {
  const interceptor: WorkflowClientInterceptor = { start: refuse, startWithDetails: refuse };
  const temporal = new Client({
    connection: ctx.temporal.connection,
    namespace: 'default',
    interceptors: { workflow: [interceptor] },
  });
  return { ...ctx, temporal, app: appWith(ctx, { temporal }) };
}
