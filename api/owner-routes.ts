// The tenant's routes over one kind of workspace owner (partners, merchants): the list, one owner, suspend and
// reactivate, the same four for every kind, from the kind's path, tag, permission, schemas and summaries.
import type { Context } from 'hono';
import { notFound } from '../domain/errors';
import type { PermissionKey } from '../domain/permissions';
import { changeOwnerStatus } from '../domain/tenancy/change-owner-status';
import type { SuspensionChange } from '../domain/tenancy/suspension';
import type { OwnerKind } from '../domain/tenancy/workspace-owner';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findOwner, listOwners, type KeysetFilter } from '../db/store/workspace-owners';
import { actorOf } from './actor';
import type { AppEnv } from './context';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  IdParam,
  jsonContent,
  pageOf,
  problemResponse,
  type PageQuery,
  type z,
} from './openapi';
import { decodeCursor, pageAnswer } from './pagination';

export interface OwnerRoutesSpec {
  kind: OwnerKind;
  /** The collection's path, e.g. `/v1/tenant/partners`. */
  path: string;
  tag: string;
  access: PermissionKey;
  /** The owner as the API shows it. */
  Out: z.ZodType;
  /** PageQuery with the kind's filters (status, and for partners name). */
  ListQuery: typeof PageQuery;
  summaries: { list: string; one: string; suspend: string; reactivate: string };
}

/**
 * The page answer of one of the tenant's keyset lists (owners, applications): the query's cursor, limit and
 * filters (status, name), the list read for the caller's tenant, each row's view.
 */
export async function tenantPage<V>(
  c: Context<AppEnv>,
  q: z.infer<typeof PageQuery> & { status?: string; name?: string },
  list: (em: EntityManager, f: KeysetFilter) => Promise<{ id: string; createdAt: string; view: V }[]>,
) {
  const rows = await list(c.get('em'), {
    tenantId: c.get('auth').workspace.tenantId,
    status: q.status,
    name: q.name,
    after: decodeCursor(q.cursor),
    limit: q.limit,
  });
  return pageAnswer(rows, q.limit, (r) => r.view);
}

export function ownerRoutes(spec: OwnerRoutesSpec) {
  const { kind } = spec;
  const tenantOf = (c: Context<AppEnv>) => c.get('auth').workspace.tenantId;
  const statusRoute = (change: SuspensionChange) =>
    defineRoute({
      method: 'post',
      path: `${spec.path}/{id}/${change}`,
      tags: [spec.tag],
      summary: spec.summaries[change],
      access: spec.access,
      request: { params: IdParam },
      responses: {
        200: jsonContent(spec.Out, `The ${kind}`),
        ...COMMON_ERRORS,
        409: problemResponse(`CONFLICT: the ${kind} is not in a state that allows this`),
      },
    });
  const changeStatus = async (c: Context<AppEnv>, ownerId: string, change: SuspensionChange) =>
    c.json(
      await changeOwnerStatus(c.get('em'), { kind, tenantId: tenantOf(c), ownerId, change }, actorOf(c)),
      200,
    );
  return createRouter()
    .openapi(
      defineRoute({
        method: 'get',
        path: spec.path,
        tags: [spec.tag],
        summary: spec.summaries.list,
        access: spec.access,
        request: { query: spec.ListQuery },
        responses: { 200: jsonContent(pageOf(spec.Out), `A page of ${kind}s`), ...COMMON_ERRORS },
      }),
      async (c) => c.json(await tenantPage(c, c.req.valid('query'), (em, f) => listOwners(em, kind, f)), 200),
    )
    .openapi(
      defineRoute({
        method: 'get',
        path: `${spec.path}/{id}`,
        tags: [spec.tag],
        summary: spec.summaries.one,
        access: spec.access,
        request: { params: IdParam },
        responses: { 200: jsonContent(spec.Out, `The ${kind}`), ...COMMON_ERRORS },
      }),
      async (c) => {
        const owner = await findOwner(c.get('em'), kind, tenantOf(c), c.req.valid('param').id);
        if (!owner) throw notFound(kind);
        return c.json(owner, 200);
      },
    )
    .openapi(statusRoute('suspend'), (c) => changeStatus(c, c.req.valid('param').id, 'suspend'))
    .openapi(statusRoute('reactivate'), (c) => changeStatus(c, c.req.valid('param').id, 'reactivate'));
}
