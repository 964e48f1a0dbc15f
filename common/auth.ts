// Login, first-run setup, the current session, agents and API tokens.
import { z } from 'zod';
import { permissionSchema } from './permissions.ts';
import { localeSchema } from './settings.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`);

const email = z.string().trim().min(3, 'an email address is required').max(254);

export const loginSchema = z
  .object({ email, password: z.string().min(1, 'a password is required').max(PASSWORD_MAX) })
  .strict()
  .meta({ id: 'Login' });
export type Login = z.infer<typeof loginSchema>;

export const setupSchema = z
  .object({
    accountName: z.string().trim().min(1, 'a name is required').max(100),
    name: z.string().trim().min(1, 'a name is required').max(100),
    email,
    password: passwordSchema,
    locale: localeSchema.optional().meta({
      description:
        "The account's default language and the administrator's own (default en); agents added later start in it",
    }),
  })
  .strict()
  .meta({ id: 'Setup' });
export type Setup = z.infer<typeof setupSchema>;

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roleId: z.string(),
    roleName: z.string(),
    locale: localeSchema,
    /** "invited": active but has not set a password yet (from the emailed link). */
    status: z.enum(['active', 'invited', 'deactivated']),
    teamIds: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const sessionSchema = z
  .object({
    user: userSchema,
    permissions: z.array(permissionSchema),
    account: z.object({ id: z.string(), name: z.string() }),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

export const userCreateSchema = z
  .object({
    email,
    name: z.string().trim().min(1, 'a name is required').max(100),
    /** Left out: the agent is invited and sets one from a link emailed through the outbox. */
    password: passwordSchema.optional(),
    roleId: z.string().optional(),
    teamIds: z.array(z.string()).max(100).optional(),
    locale: localeSchema.optional(),
  })
  .strict()
  .meta({ id: 'UserCreate' });
export type UserCreate = z.infer<typeof userCreateSchema>;

export const meUpdateSchema = z.object({ locale: localeSchema }).strict().meta({ id: 'MeUpdate' });

export const roleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    permissions: z.array(permissionSchema),
    builtIn: z.string().nullable(),
  })
  .meta({ id: 'Role' });
export type Role = z.infer<typeof roleSchema>;

export const tokenCreateSchema = z
  .object({ name: z.string().trim().min(1).max(100).default('API token') })
  .strict()
  .meta({ id: 'TokenCreate' });

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** The signed-in agent changes their own password (the current one is required). */
export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1, 'enter your current password').max(PASSWORD_MAX),
    password: passwordSchema,
  })
  .strict()
  .meta({ id: 'PasswordChange' });
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

/** "Forgot password": asks for a set-password link by email; the same answer for any address. */
export const passwordResetRequestSchema = z
  .object({ email })
  .strict()
  .meta({ id: 'PasswordResetRequest' });
export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;
