// Shapes shared by the sign-in and /v1/me answers, and the second-factor code a request may carry.
import { RECOVERY_CODE_PATTERN, TOTP_CODE_PATTERN } from '../../domain/totp';
import { z } from '../openapi';

export const CodeSchema = z
  .string()
  .trim()
  .max(64)
  .refine((v) => TOTP_CODE_PATTERN.test(v) || RECOVERY_CODE_PATTERN.test(v), {
    message: 'expected a 6-digit code or a recovery code such as ABCD-EFGH-IJKL-MNOP',
  });

export const SessionUser = z.object({
  id: z.uuid(),
  loginEmail: z.string(),
  name: z.string(),
  contactEmail: z.string().nullable(),
  mustChangePassword: z.boolean(),
});

export const SessionWorkspace = z.object({
  id: z.uuid(),
  kind: z.enum(['TENANT', 'PARTNER', 'MERCHANT']),
  name: z.string(),
  tenantId: z.uuid(),
});
