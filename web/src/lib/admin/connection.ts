// A face service of the admin pages as the "connection" the Collection and Test pages work from.
import type { Connection, ServiceType } from '../api/types.js';
import type { AdminApp, AdminService } from './types.js';

export function serviceConnection(app: Pick<AdminApp, 'id' | 'name'>, service: AdminService): Connection {
  return {
    apiKey: service.api_key,
    type: service.type.toLowerCase() as ServiceType,
    label: `${app.name} · ${service.name}`,
    minSimilarity: service.min_similarity,
    serviceId: service.id,
    app: { id: app.id, name: app.name },
  };
}
