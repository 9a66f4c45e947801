// The JSON shapes of the admin API (shared/api/admin.ts: snake_case, service types in capitals like
// CompreFace's admin) made from the services' rows.
import type { z } from 'zod';
import type * as api from '../../../../shared/api/admin.js';
import type { EmbedderInfo } from '../../../../shared/engine/embedders.js';
import type { MemberRow } from '../../repositories/members.js';
import type { UserRow } from '../../repositories/users.js';
import type { AppView } from '../../services/admin/applications.js';
import type { FaceServiceView } from '../../services/admin/face-services.js';

export const userJson = (u: UserRow): z.infer<typeof api.AdminUser> => ({
  id: u.id,
  email: u.email,
  first_name: u.firstName,
  last_name: u.lastName,
  role: u.role,
  email_confirmed: u.emailConfirmed,
  created_at: u.createdAt.toISOString(),
});

export const appJson = (a: AppView): z.infer<typeof api.AdminApp> => ({
  id: a.id,
  name: a.name,
  role: a.role,
  created_at: a.createdAt.toISOString(),
});

export const memberJson = (m: MemberRow): z.infer<typeof api.AdminMember> => ({
  user_id: m.userId,
  email: m.email,
  first_name: m.firstName,
  last_name: m.lastName,
  role: m.role,
});

export const serviceJson = (s: FaceServiceView): z.infer<typeof api.AdminService> => ({
  id: s.id,
  application_id: s.applicationId,
  name: s.name,
  type: s.type.toUpperCase() as z.infer<typeof api.ServiceType>,
  api_key: s.apiKey,
  min_similarity: s.minSimilarity,
  embedder: s.embedder,
  subjects: s.subjects,
  images: s.images,
  created_at: s.createdAt.toISOString(),
});

export const embedderJson = (e: EmbedderInfo): z.infer<typeof api.AdminEmbedder> => ({
  id: e.model,
  version: e.key,
  dims: e.dim,
  description: e.description,
  default: e.default,
});
