// The button-level permission catalog a role editor offers in the caller's workspace.
import { permissionsForKind, PERMISSION_CATALOG } from '../../domain/permissions';
import { COMMON_ERRORS, createRouter, defineRoute, jsonContent, z } from '../openapi';

const Permission = z
  .object({
    key: z.string(),
    module: z.string(),
    label: z.string(),
    kind: z.enum(['page', 'button']),
  })
  .openapi('Permission');

export const permissionsRouter = createRouter().openapi(
  defineRoute({
    method: 'get',
    path: '/v1/permissions',
    tags: ['Roles'],
    summary: 'The permission catalog (keys a role in this workspace can hold)',
    access: 'member',
    responses: {
      200: jsonContent(z.object({ data: z.array(Permission) }), 'The catalog'),
      ...COMMON_ERRORS,
    },
  }),
  (c) => {
    const allowed = new Set<string>(permissionsForKind(c.get('auth').workspace.kind));
    const data = PERMISSION_CATALOG.filter((p) => allowed.has(p.key)).map((p) => ({
      key: p.key,
      module: p.module,
      label: p.label,
      kind: p.kind,
    }));
    return c.json({ data }, 200);
  },
);
