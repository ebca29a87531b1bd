/**
 * A row's `created` as microseconds since the Unix epoch, selected as
 * `created_epoch` (a bigint, which pg hands over as a string: read it with
 * `Number`). `extract` answers numeric, so no precision is lost.
 */
export const CREATED_EPOCH_COLUMN = '(extract(epoch FROM created) * 1000000)::bigint AS created_epoch';
