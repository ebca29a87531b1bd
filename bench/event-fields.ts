/** What every reader of the catch-up store asks of an event: the same columns over GraphQL and in the raw SELECTs they are held to. */
export const EVENT_FIELDS = 'id streamId version position type data metadata createdEpoch';
export const RAW_EVENT_SELECT = 'SELECT event_id, stream_id, version, position, type, data, metadata, created FROM gater_default.events';
