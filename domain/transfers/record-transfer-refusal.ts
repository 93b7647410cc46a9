// Command: remember the refusal a claimed transfer request got, so repeating it is refused the same way.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordIdempotencyRefusal } from '../../db/store/idempotency';
import { transferKeyScope } from './claim-transfer-key';

export async function recordTransferRefusal(
  em: EntityManager,
  input: { workspaceId: string; key: string },
  refusal: { code: string; message: string },
): Promise<void> {
  await recordIdempotencyRefusal(em, transferKeyScope(input.workspaceId), input.key, refusal);
}
