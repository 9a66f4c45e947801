// Wire shapes of the admin API (/admin, server/src/routes/admin/views.ts), as the web app reads them.

export type Role = 'OWNER' | 'ADMINISTRATOR' | 'USER';
export const ROLES: readonly Role[] = ['OWNER', 'ADMINISTRATOR', 'USER'];
export type AdminServiceType = 'RECOGNITION' | 'DETECTION' | 'VERIFICATION';
export const ADMIN_SERVICE_TYPES: readonly AdminServiceType[] = ['RECOGNITION', 'DETECTION', 'VERIFICATION'];

export interface AdminSettings {
  email_enabled: boolean;
  signup_enabled: boolean;
}

export interface AdminUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  email_confirmed: boolean;
  created_at: string;
}

export interface AdminApp {
  id: string;
  name: string;
  /** The caller's role in the application. */
  role: Role;
  created_at: string;
}

export interface AdminMember {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
}

export interface AdminService {
  id: string;
  application_id: string;
  name: string;
  type: AdminServiceType;
  api_key: string;
  min_similarity: number | null;
  /** The embedder key its collection uses, e.g. `faceapi-recognition@1` (issue 17.1). */
  embedder: string;
  subjects: number;
  images: number;
  created_at: string;
}

/** An embedder a service may choose (`GET /admin/embedders`). */
export interface AdminEmbedder {
  id: string;
  version: string;
  dims: number;
  description: string;
  default: boolean;
}

export interface ServiceStats {
  subjects: number;
  images: number;
  /** Oldest first; days without requests are absent. */
  requests: { day: string; count: number }[];
}

/** "Ada Lovelace", or the e-mail address when no name was given. */
export function displayName(u: { first_name: string; last_name: string; email: string }): string {
  return `${u.first_name} ${u.last_name}`.trim() || u.email;
}

/** Owners and administrators of an application change it; users only look and use its keys. */
export const canManage = (role: Role): boolean => role === 'OWNER' || role === 'ADMINISTRATOR';

/** The server's rule for changing or removing a member, so the page offers only what it allows. */
export { canManageMember } from '../../../../shared/roles.js';

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: 'Owner',
  ADMINISTRATOR: 'Administrator',
  USER: 'User',
};
