// Wire shapes of the admin API (/admin) as zod schemas: the server's views return them
// (server/src/routes/admin/views.ts), its contracts document them (server/src/contracts/admin), the web app reads
// their types (web/src/lib/admin/types.ts, z.infer, type-only). `.meta({id})` names the OpenAPI component.
import { z } from 'zod';

const int = z.number().int();
const dateTime = z.string().meta({ format: 'date-time' });

export const AdminError = z
  .object({
    message: z.string(),
    code: int.meta({
      description:
        '26 invalid input, 36 malformed JSON, 101 not logged in, 102 forbidden, 103 not found, 104 conflict, 105 too many attempts, 106 bad or expired link, 107 e-mail not configured.',
    }),
  })
  .meta({ id: 'AdminError' });

export const Role = z.enum(['OWNER', 'ADMINISTRATOR', 'USER']);
export const ServiceType = z.enum(['RECOGNITION', 'DETECTION', 'VERIFICATION']);

export const AdminSettings = z.object({ email_enabled: z.boolean(), signup_enabled: z.boolean() });

export const AdminUser = z
  .object({
    id: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    role: Role,
    email_confirmed: z.boolean(),
    created_at: dateTime,
  })
  .meta({ id: 'AdminUser' });

export const AdminApp = z
  .object({
    id: z.string(),
    name: z.string(),
    role: Role.meta({ description: "The caller's role in the application." }),
    created_at: dateTime,
  })
  .meta({ id: 'AdminApplication' });

export const AdminMember = z
  .object({
    user_id: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    role: Role,
  })
  .meta({ id: 'AdminMember' });

export const AdminService = z
  .object({
    id: z.string(),
    application_id: z.string(),
    name: z.string(),
    type: ServiceType,
    api_key: z.string().meta({ format: 'uuid' }),
    min_similarity: z.number().nullable(),
    embedder: z.string().meta({
      description: 'The embedder its collection uses, e.g. `faceapi-recognition@1` (GET /admin/embedders).',
    }),
    subjects: int,
    images: int,
    created_at: dateTime,
  })
  .meta({ id: 'AdminFaceService' });

/** An embedder a service may choose (`GET /admin/embedders`). */
export const AdminEmbedder = z.object({
  id: z.string(),
  version: z.string(),
  dims: int,
  description: z.string(),
  default: z.boolean(),
});

/** A re-embedding job: progress in total/done/failed. */
export const EmbedderJob = z
  .object({
    embedder: z.string(),
    state: z.enum(['running', 'done', 'failed']),
    total: int,
    done: int,
    failed: int,
    error: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .meta({ id: 'EmbedderJob' });

export const ServiceStats = z.object({
  subjects: int,
  images: int,
  requests: z
    .array(z.object({ day: z.string().meta({ format: 'date' }), count: int }))
    .meta({ description: 'Oldest first; days without requests are absent.' }),
});

export const SignUpAnswer = z.object({ user: AdminUser, confirmation_required: z.boolean() });
export const LoginAnswer = z.object({ user: AdminUser });
export const UserList = z.object({ users: z.array(AdminUser) });
export const CreatedUser = z.object({
  user: AdminUser,
  password: z.string().optional().meta({ description: 'The generated password, when none was given.' }),
});
export const NewPassword = z.object({
  password: z.string().optional().meta({ description: 'The generated password, when none was given.' }),
});
export const AppList = z.object({ applications: z.array(AdminApp) });
export const MemberList = z.object({ members: z.array(AdminMember) });
export const ServiceList = z.object({ services: z.array(AdminService) });
export const ApiKey = z.object({ api_key: z.string().meta({ format: 'uuid' }) });
export const EmbedderList = z.object({ embedders: z.array(AdminEmbedder) });
export const ServiceEmbedder = z.object({
  embedder: z.string(),
  job: EmbedderJob.nullable().meta({ description: 'The latest re-embedding job; null when none ran.' }),
});
