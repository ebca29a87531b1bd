import type { ErasureNotices } from '../erasures.js';
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
  /** `erasures` hears, before a change is answered, of what its limits now hide. */
  constructor(
    private readonly route: StoreRoute,
    private readonly erasures: ErasureNotices,
    readonly scope: StreamScope = StreamScope.EVERY_STREAM,
  ) {}

  scopedTo(scope: StreamScope): MetadataStore {
    return scope.isEveryStream ? this : new MetadataStore(this.route, this.erasures, scope);
  }

  /** Null when the stream was hard-deleted: it takes no metadata. */
  async set(metadata: NewStreamMetadata): Promise<StreamMetadata | null> {
    if (!this.scope.includes(metadata.streamId)) throw new StreamOutOfScopeError(metadata.streamId);
    const saved = await this.route.write((db, tables) => setStreamMetadata(db, tables, metadata));
    if (saved.erasure) this.erasures.tell(saved.erasure);
    return saved.metadata;
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
