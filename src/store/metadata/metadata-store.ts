import { StreamOutOfScopeError } from '../errors.js';
import { readVisible } from '../read-visible.js';
import type { StoreRoute } from '../store-route.js';
import { StreamScope } from '../stream-scope.js';
import { readStreamMetadata } from './read-stream-metadata.js';
import { setStreamMetadata } from './set-stream-metadata.js';
import type { NewStreamMetadata, StreamMetadata } from './types.js';

/**
 * A store's stream metadata. Seen through a stream scope, metadata of
 * streams outside it is not found and cannot be set.
 */
export class MetadataStore {
  constructor(
    private readonly route: StoreRoute,
    readonly scope: StreamScope = StreamScope.EVERY_STREAM,
  ) {}

  scopedTo(scope: StreamScope): MetadataStore {
    return scope.isEveryStream ? this : new MetadataStore(this.route, scope);
  }

  /** Null when the stream was hard-deleted: it takes no metadata. */
  set(metadata: NewStreamMetadata): Promise<StreamMetadata | null> {
    if (!this.scope.includes(metadata.streamId)) return Promise.reject(new StreamOutOfScopeError(metadata.streamId));
    return this.route.write((db, tables) => setStreamMetadata(db, tables, metadata));
  }

  /** One answer per stream, in the order asked; null where none is set, or where the scope hides the stream. */
  read(streamIds: readonly string[]): Promise<(StreamMetadata | null)[]> {
    return readVisible(
      streamIds,
      (id) => this.scope.includes(id),
      (visible) => this.route.read((db, tables) => readStreamMetadata(db, tables, visible)),
    );
  }
}
