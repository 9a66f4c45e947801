// The image store as the administration uses it: besides removing files, removes a deleted service's folder.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.js';
import { createImageStore, type ImageStore } from '../../repositories/images.js';
import { isUuid } from '../validate.js';

export interface AdminImageStore extends ImageStore {
  /** After deleting services: removes their folders under VISOR_DATA_DIR/images (file mode). */
  removeServiceDirs(serviceIds: readonly string[]): Promise<void>;
}

export function createAdminImageStore(config: Pick<Config, 'dataDir' | 'saveImagesToDb'>): AdminImageStore {
  const store = createImageStore({ dataDir: config.dataDir, inDb: config.saveImagesToDb });
  const root = join(config.dataDir, 'images');
  return {
    ...store,
    async removeServiceDirs(ids) {
      await Promise.all(ids.filter(isUuid).map((id) => rm(join(root, id), { recursive: true, force: true })));
    },
  };
}
