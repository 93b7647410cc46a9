// The read-only check before an application starts its workflow: the fields are valid (400 with every field
// problem) and the tenant exists (404). Returns the normalised fields.
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound, validationFailed } from '../errors';
import type { MerchantApplicationFields } from './contract';
import { checkApplication } from './rules';
import { tenantIsActive } from '../../db/store/tenancy';

export async function checkMerchantApplication(
  em: EntityManager,
  input: { tenantId: string } & MerchantApplicationFields,
): Promise<MerchantApplicationFields> {
  const { problems, fields } = checkApplication(input);
  if (problems.length) throw validationFailed('the application is not valid', problems);
  if (!(await tenantIsActive(em, input.tenantId))) throw notFound('tenant');
  return fields;
}
