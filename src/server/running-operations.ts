/** The fewest ids kept before ended operations are looked for. */
const FIRST_LOOK_AT = 64;

/**
 * The operations one graphql-ws connection runs, counted for its limit
 * without listing graphql-ws's map of them on every subscribe: that map is
 * an object in dictionary mode, and `Object.keys` of it sorts its keys, which
 * cost a consumer acking fifty events in flight more than the ack's own work.
 *
 * Every operation passes `admit`, so the ids kept include every operation
 * running. Those that ended are dropped (by looking them up in graphql-ws's
 * map) before the count could pass the limit, and whenever the ids kept reach
 * twice what was running the last time: the set stays within twice the
 * operations running (or 64), whatever the limit, and each look is paid for
 * by as many subscribes as it looked at.
 */
export class RunningOperations {
  private readonly ids = new Set<string>();
  private lookAt = FIRST_LOOK_AT;

  /** Counts operation `id` in; false when the connection would then run more than `max` operations (`running`: graphql-ws's own map of them). */
  admit(id: string, running: Readonly<Record<string, unknown>>, max: number): boolean {
    this.ids.add(id);
    if (this.ids.size > Math.min(max, this.lookAt)) {
      for (const known of this.ids) if (!(known in running)) this.ids.delete(known);
      this.lookAt = Math.max(FIRST_LOOK_AT, 2 * this.ids.size);
    }
    return this.ids.size <= max;
  }

  /** Ids kept: the operations running, and some that ended since the last look. */
  get kept(): number {
    return this.ids.size;
  }
}
