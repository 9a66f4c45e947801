// Wire shapes of the admin API (/admin): the server's contract (shared/api/admin.ts), imported as types only.
import type { z } from 'zod';
import type * as api from '../../../../shared/api/admin.js';

export type Role = z.infer<typeof api.Role>;
export const ROLES: readonly Role[] = ['OWNER', 'ADMINISTRATOR', 'USER'];
export type AdminServiceType = z.infer<typeof api.ServiceType>;
export const ADMIN_SERVICE_TYPES: readonly AdminServiceType[] = ['RECOGNITION', 'DETECTION', 'VERIFICATION'];

export type AdminSettings = z.infer<typeof api.AdminSettings>;
export type AdminUser = z.infer<typeof api.AdminUser>;
/** An application, with the caller's role in it. */
export type AdminApp = z.infer<typeof api.AdminApp>;
export type AdminMember = z.infer<typeof api.AdminMember>;
/** A face service; `embedder` is the key its collection uses, e.g. `faceapi-recognition@1` (issue 17.1). */
export type AdminService = z.infer<typeof api.AdminService>;
/** An embedder a service may choose (`GET /admin/embedders`). */
export type AdminEmbedder = z.infer<typeof api.AdminEmbedder>;
/** Requests per day (oldest first; days without requests are absent) and the collection size. */
export type ServiceStats = z.infer<typeof api.ServiceStats>;

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
