// The JSON shapes of the admin API (snake_case, service types in capitals like CompreFace's admin).
import type { MemberRow } from '../../repositories/members.js';
import type { UserRow } from '../../repositories/users.js';
import type { AppView } from '../../services/admin/applications.js';
import type { FaceServiceView } from '../../services/admin/face-services.js';

export const userJson = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  first_name: u.firstName,
  last_name: u.lastName,
  role: u.role,
  email_confirmed: u.emailConfirmed,
  created_at: u.createdAt,
});

export const appJson = (a: AppView) => ({ id: a.id, name: a.name, role: a.role, created_at: a.createdAt });

export const memberJson = (m: MemberRow) => ({
  user_id: m.userId,
  email: m.email,
  first_name: m.firstName,
  last_name: m.lastName,
  role: m.role,
});

export const serviceJson = (s: FaceServiceView) => ({
  id: s.id,
  application_id: s.applicationId,
  name: s.name,
  type: s.type.toUpperCase(),
  api_key: s.apiKey,
  min_similarity: s.minSimilarity,
  embedder: s.embedder,
  subjects: s.subjects,
  images: s.images,
  created_at: s.createdAt,
});
