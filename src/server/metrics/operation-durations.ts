import type { Histogram } from 'prom-client';

type Observe = (seconds: number) => void;

/** Label of operations without a name. */
export const ANONYMOUS = 'anonymous';
/** Label of the named operations met after `maxNames` others. */
export const OTHER = 'other';

/**
 * The operation-duration histogram by operation type and name, with the label
 * values bounded: names are chosen by clients, so only the first `maxNames`
 * distinct ones get their own series; later ones share `other`. Each series'
 * observe function is looked up once and kept.
 */
export class OperationDurations {
  private readonly byType = new Map<string, Map<string | undefined, Observe>>();
  private names = 0;

  constructor(
    private readonly histogram: Histogram<'type' | 'name'>,
    private readonly maxNames: number,
  ) {}

  observe(type: string, name: string | undefined, seconds: number): void {
    this.series(type, name)(seconds);
  }

  private series(type: string, name: string | undefined): Observe {
    let byName = this.byType.get(type);
    if (!byName) {
      byName = new Map();
      this.byType.set(type, byName);
    }
    let observe = byName.get(name);
    if (observe) return observe;
    const named = name !== undefined && name !== OTHER;
    if (named && this.names >= this.maxNames) return this.series(type, OTHER);
    if (named) this.names++;
    observe = this.histogram.labels(type, name ?? ANONYMOUS).observe;
    byName.set(name, observe);
    return observe;
  }
}
