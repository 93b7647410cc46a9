// The Role answer shape.
import type { RoleWithCount } from '../../db/store/roles';

export function roleJson(r: RoleWithCount) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    system: r.system,
    memberCount: r.memberCount,
    createdAt: r.createdAt.toISOString(),
  };
}
