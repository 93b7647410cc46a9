// The Member answer shape.
import type { MemberRow } from '../../db/store/members';

export function memberJson(r: MemberRow) {
  return {
    userId: r.userId,
    name: r.name,
    loginEmail: r.loginEmail,
    contactEmail: r.contactEmail,
    roleId: r.roleId,
    roleName: r.roleName,
    status: r.status,
    receiveChargebackEmails: r.receiveChargebackEmails,
    mustChangePassword: r.mustChangePassword,
    createdAt: r.createdAt.toISOString(),
  };
}
