// What every face-service module shares: injected dependencies plus the search indexes, the image store and the
// collection store (the one writer of subjects and examples).
import type { RawImage } from '../../../shared/image.js';
import type { FaceEngine } from '../../../shared/engine/types.js';
import type { CollectionStore } from '../collections/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/types.js';
import type { ImageStore } from '../repositories/images.js';
import type { SearchIndexes } from '../search/service-indexes.js';

/** Decodes image bytes (throws UnsupportedImage); `server/src/image/decode.ts` in production. */
export type DecodeImage = (
  bytes: Uint8Array,
  opts: { maxPixels: number; maxSide?: number; maxImageSide?: number },
) => RawImage | Promise<RawImage>;

export interface FaceServicesDeps {
  config: Config;
  db: Db;
  engine: FaceEngine;
  decode: DecodeImage;
}

export interface Ctx extends FaceServicesDeps {
  indexes: SearchIndexes;
  images: ImageStore;
  collections: CollectionStore;
}
