/**
 * The operations one graphql-ws connection runs, counted for its limit
 * without listing graphql-ws's map of them on every subscribe: that map is
 * an object in dictionary mode, and `Object.keys` of it sorts its keys, which
 * cost a consumer acking fifty events in flight more than the ack's own work.
 *
 * Every operation passes `admit`, so the ids kept include every operation
 * running; those that ended are dropped (by looking them up in graphql-ws's
 * map) only when the count would pass the limit, which keeps the set within
 * the limit plus one.
 */
export class RunningOperations {
  private readonly ids = new Set<string>();

  /** Counts operation `id` in; false when the connection would then run more than `max` operations (`running`: graphql-ws's own map of them). */
  admit(id: string, running: Readonly<Record<string, unknown>>, max: number): boolean {
    this.ids.add(id);
    if (this.ids.size <= max) return true;
    for (const known of this.ids) if (!(known in running)) this.ids.delete(known);
    return this.ids.size <= max;
  }
}
