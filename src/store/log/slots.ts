interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

/**
 * At most `size` holders at once. A caller that finds none free waits, in
 * order of arrival, until one is given back or its own time runs out.
 */
export class Slots {
  private free: number;
  private readonly waiting: Waiter[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** True once a slot is taken; false when none came free within `withinMs`. */
  take(withinMs: number): Promise<boolean> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        grant: () => resolve(true),
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          resolve(false);
        }, withinMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** Gives a taken slot back: to the longest waiting caller, if any. */
  give(): void {
    const next = this.waiting.shift();
    if (!next) {
      this.free++;
      return;
    }
    clearTimeout(next.timer);
    next.grant();
  }
}
