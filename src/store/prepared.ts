import { createHash } from 'node:crypto';
import type pg from 'pg';

/** The name of each statement text met, made once: texts come from code, a few per store. */
const names = new Map<string, string>();

/**
 * A statement PostgreSQL parses and plans once per connection and then only
 * binds: its name is its text's hash, so one text is one prepared statement
 * on every connection, and two texts never share a name. Only for statements
 * whose plan cannot depend on the data: a function call, or rows looked up
 * one by one by a key. A prepared statement may keep one plan for the
 * connection's life, however the tables grow since; planned while a table is
 * small, a join to it becomes a scan of it, and stays one.
 */
export function preparedStatement(text: string, values: unknown[]): pg.QueryConfig {
  let name = names.get(text);
  if (name === undefined) {
    name = `gater_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    names.set(text, name);
  }
  return { name, text, values };
}
