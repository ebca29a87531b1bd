/**
 * The streams a caller may see and touch: those whose id starts with one of
 * its prefixes, or every stream. Reads outside it find nothing; writes
 * outside it are refused (StreamOutOfScopeError).
 */
export class StreamScope {
  static readonly EVERY_STREAM = new StreamScope(null);

  private constructor(
    /** Null: every stream. */
    readonly prefixes: readonly string[] | null,
  ) {}

  /** A scope of these prefixes; an empty prefix, like no list at all, is every stream. */
  static of(prefixes: readonly string[] | null): StreamScope {
    if (prefixes === null || prefixes.includes('')) return StreamScope.EVERY_STREAM;
    return new StreamScope([...new Set(prefixes)]);
  }

  get isEveryStream(): boolean {
    return this.prefixes === null;
  }

  includes(streamId: string): boolean {
    return this.prefixes === null || this.prefixes.some((prefix) => streamId.startsWith(prefix));
  }

  /** The prefixes as LIKE patterns, for `column LIKE ANY($n)`; null for every stream. */
  likePatterns(): string[] | null {
    return this.prefixes?.map((prefix) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`) ?? null;
  }
}
