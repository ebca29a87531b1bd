/** The GraphQL documents and result shapes the end-to-end tests share. */

export const EVENT_FIELDS = /* GraphQL */ `
  fragment EventFields on Event {
    id
    streamId
    version
    position
    type
    data
    metadata
    contentType
    created
    createdEpoch
  }
`;

export interface EventView {
  id: string;
  streamId: string;
  version: number;
  position: number;
  type: string;
  data: unknown;
  metadata: unknown;
  contentType: string;
  created: string;
  createdEpoch: number;
}

export interface PageInfoView {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ConnectionView<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfoView;
}

export interface NewEventInput {
  id?: string;
  type: string;
  data?: unknown;
  metadata?: unknown;
  contentType?: string;
}

export interface AppendInput {
  store?: string;
  streamId: string;
  expectedVersion?: number;
  expectedState?: 'ANY' | 'NO_STREAM' | 'STREAM_EXISTS';
  events: NewEventInput[];
}

export type AppendResult =
  | { __typename: 'AppendEventsSuccess'; streamId: string; version: number; position: number; events: EventView[] }
  | { __typename: 'WrongExpectedVersionError'; message: string; streamId: string; expected: string; actualVersion: number };

export const APPEND = /* GraphQL */ `
  mutation Append($input: AppendEventsInput!) {
    appendEvents(input: $input) {
      __typename
      ... on AppendEventsSuccess {
        streamId
        version
        position
        events { ...EventFields }
      }
      ... on WrongExpectedVersionError {
        message
        streamId
        expected
        actualVersion
      }
    }
  }
  ${EVENT_FIELDS}
`;
export interface AppendData {
  appendEvents: AppendResult;
}

export const STREAM_PAGE = /* GraphQL */ `
  query StreamPage($store: ID, $id: String!, $fromVersion: Int, $direction: Direction, $first: Int, $after: String) {
    stream(store: $store, id: $id) {
      id
      version
      exists
      events(fromVersion: $fromVersion, direction: $direction, first: $first, after: $after) {
        edges { cursor node { ...EventFields } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
  ${EVENT_FIELDS}
`;
export interface StreamPageData {
  stream: { id: string; version: number; exists: boolean; events: ConnectionView<EventView> };
}

export const STREAM_VERSION = /* GraphQL */ `
  query StreamVersion($store: ID, $streamId: String!) {
    streamVersion(store: $store, streamId: $streamId)
  }
`;
export interface StreamVersionData {
  streamVersion: number;
}

export const EVENTS_PAGE = /* GraphQL */ `
  query EventsPage(
    $store: ID
    $fromPosition: Long
    $direction: Direction
    $filter: EventFilter
    $first: Int
    $after: String
  ) {
    events(store: $store, fromPosition: $fromPosition, direction: $direction, filter: $filter, first: $first, after: $after) {
      edges { cursor node { ...EventFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${EVENT_FIELDS}
`;
export interface EventsPageData {
  events: ConnectionView<EventView>;
}

export const EVENT_BY_ID = /* GraphQL */ `
  query EventById($store: ID, $id: ID!) {
    event(store: $store, id: $id) { ...EventFields }
  }
  ${EVENT_FIELDS}
`;
export interface EventByIdData {
  event: EventView | null;
}

export const STREAMS_PAGE = /* GraphQL */ `
  query StreamsPage($store: ID, $prefix: String, $first: Int, $after: String) {
    streams(store: $store, prefix: $prefix, first: $first, after: $after) {
      edges { cursor node { id version exists } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
export interface StreamsPageData {
  streams: ConnectionView<{ id: string; version: number; exists: boolean }>;
}

export const STORES = /* GraphQL */ `
  query Stores {
    stores { id streamCount eventCount headPosition }
  }
`;
export interface StoreView {
  id: string;
  streamCount: number;
  eventCount: number;
  headPosition: number;
}
export interface StoresData {
  stores: StoreView[];
}

// ─── live subscriptions ──────────────────────────────────────────────────────

export const BY_STREAM = /* GraphQL */ `
  subscription ByStream($store: ID, $streamId: String!, $fromVersion: Int, $fromPosition: Long) {
    byStream(store: $store, streamId: $streamId, fromVersion: $fromVersion, fromPosition: $fromPosition) { ...EventFields }
  }
  ${EVENT_FIELDS}
`;

export const BY_EVENT_TYPE = /* GraphQL */ `
  subscription ByEventType($store: ID, $eventType: String!, $fromPosition: Long) {
    byEventType(store: $store, eventType: $eventType, fromPosition: $fromPosition) { ...EventFields }
  }
  ${EVENT_FIELDS}
`;

export const BY_EVENT_PATTERN = /* GraphQL */ `
  subscription ByEventPattern($store: ID, $pattern: JSON!, $fromPosition: Long) {
    byEventPattern(store: $store, pattern: $pattern, fromPosition: $fromPosition) { ...EventFields }
  }
  ${EVENT_FIELDS}
`;

export const BY_EVENT_PAYLOAD = /* GraphQL */ `
  subscription ByEventPayload($store: ID, $payload: JSON!, $fromPosition: Long) {
    byEventPayload(store: $store, payload: $payload, fromPosition: $fromPosition) { ...EventFields }
  }
  ${EVENT_FIELDS}
`;

export const SNAPSHOT_FIELDS = /* GraphQL */ `
  fragment SnapshotFields on Snapshot {
    sourceUuid
    streamUuid
    version
    sourceType
    data
    metadata
    created
    createdEpoch
  }
`;

export interface SnapshotView {
  sourceUuid: string;
  streamUuid: string;
  version: number;
  sourceType: string | null;
  data: unknown;
  metadata: unknown;
  created: string;
  createdEpoch: number;
}

export interface RecordSnapshotInput {
  store?: string;
  sourceUuid: string;
  streamUuid: string;
  version: number;
  sourceType?: string;
  data?: unknown;
  metadata?: unknown;
}

export const RECORD_SNAPSHOT = /* GraphQL */ `
  mutation RecordSnapshot($input: RecordSnapshotInput!) {
    recordSnapshot(input: $input) { ...SnapshotFields }
  }
  ${SNAPSHOT_FIELDS}
`;
export interface RecordSnapshotData {
  recordSnapshot: SnapshotView;
}

export const SNAPSHOT = /* GraphQL */ `
  query Snapshot($store: ID, $sourceUuid: String!, $streamUuid: String!, $version: Int) {
    snapshot(store: $store, sourceUuid: $sourceUuid, streamUuid: $streamUuid, version: $version) { ...SnapshotFields }
  }
  ${SNAPSHOT_FIELDS}
`;
export interface SnapshotData {
  snapshot: SnapshotView | null;
}

export const SNAPSHOTS_PAGE = /* GraphQL */ `
  query SnapshotsPage($store: ID, $sourceUuid: String, $streamUuid: String, $first: Int, $after: String) {
    snapshots(store: $store, sourceUuid: $sourceUuid, streamUuid: $streamUuid, first: $first, after: $after) {
      edges { cursor node { ...SnapshotFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${SNAPSHOT_FIELDS}
`;
export interface SnapshotsPageData {
  snapshots: ConnectionView<SnapshotView>;
}

export const DELETE_SNAPSHOT = /* GraphQL */ `
  mutation DeleteSnapshot($store: ID, $sourceUuid: String!, $streamUuid: String!, $version: Int!) {
    deleteSnapshot(store: $store, sourceUuid: $sourceUuid, streamUuid: $streamUuid, version: $version)
  }
`;
export interface DeleteSnapshotData {
  deleteSnapshot: boolean;
}
