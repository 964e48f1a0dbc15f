// Administering agents and roles (issue 13 item 1): editing an agent, custom roles, and the
// set-password link an invited agent or a password reset sends. The console's forms and the API
// share these schemas.
import { z } from 'zod';
import { passwordSchema } from './auth.ts';
import { permissionSchema } from './permissions.ts';
import { localeSchema } from './settings.ts';

/** Every field optional: only what is sent changes. */
export const userUpdateSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(100),
    email: z.string().trim().min(3, 'an email address is required').max(254),
    roleId: z.string().min(1),
    teamIds: z.array(z.string()).max(100),
    locale: localeSchema,
  })
  .partial()
  .strict()
  .meta({ id: 'UserUpdate' });
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const roleInputSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(100),
    permissions: z.array(permissionSchema).max(100),
  })
  .strict()
  .meta({ id: 'RoleInput' });
export type RoleInput = z.infer<typeof roleInputSchema>;

export const roleUpdateSchema = roleInputSchema.partial().strict().meta({ id: 'RoleUpdate' });
export type RoleUpdate = z.infer<typeof roleUpdateSchema>;

/** What a roles list shows beside each role: how many agents hold it. */
export const roleSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    permissions: z.array(permissionSchema),
    builtIn: z.string().nullable(),
    agentCount: z.number().int(),
  })
  .meta({ id: 'RoleSummary' });
export type RoleSummary = z.infer<typeof roleSummarySchema>;

export const PASSWORD_TOKEN_PURPOSES = ['invite', 'reset'] as const;
export type PasswordTokenPurpose = (typeof PASSWORD_TOKEN_PURPOSES)[number];

/** What the set-password page shows before the agent chooses a password. */
export const passwordTokenInfoSchema = z
  .object({
    email: z.string(),
    name: z.string(),
    accountName: z.string(),
    purpose: z.enum(PASSWORD_TOKEN_PURPOSES),
    expiresAt: z.string(),
  })
  .meta({ id: 'PasswordTokenInfo' });
export type PasswordTokenInfo = z.infer<typeof passwordTokenInfoSchema>;

export const setPasswordSchema = z
  .object({ password: passwordSchema })
  .strict()
  .meta({ id: 'SetPassword' });
