/**
 * A payload as the database gave it, JSON text, answered without parsing it
 * and serialising it again when the answer is made by
 * `stringifyWithStoredJson`. Anywhere else (yoga's answers, SSE) it
 * serialises as its parsed value: every path answers the same JSON value,
 * spelt as PostgreSQL prints jsonb where the text is spliced in.
 */
export class StoredJson {
  constructor(
    readonly text: string,
    /** Where the parsed value is read when one is needed: an object whose `field` parses `text` on demand. */
    private readonly holder: Record<string, unknown>,
    private readonly field: string,
  ) {}

  toJSON(): unknown {
    if (collected === undefined) return this.holder[this.field];
    collected.push(this.text);
    return MARK;
  }
}

/** What a StoredJson serialises as while `stringifyWithStoredJson` runs, to be replaced by its text. */
const MARK = '\u0000stored-json';
const MARK_JSON = JSON.stringify(MARK);

/** The texts of the StoredJson values met by the JSON.stringify under way, in the order it met them. */
let collected: string[] | undefined;

/**
 * `JSON.stringify(value)`, with each StoredJson in it spliced in as its text.
 * A string of the answer equal to the mark (nothing stops a stream id from
 * being one) shows as one mark too many, and the answer is made again the
 * plain way.
 */
export function stringifyWithStoredJson(value: unknown): string {
  const texts: string[] = [];
  collected = texts;
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    collected = undefined;
  }
  if (texts.length === 0) return json;
  let spliced = '';
  let from = 0;
  for (const text of texts) {
    const at = json.indexOf(MARK_JSON, from);
    if (at < 0) return JSON.stringify(value);
    spliced += json.slice(from, at) + text;
    from = at + MARK_JSON.length;
  }
  if (json.includes(MARK_JSON, from)) return JSON.stringify(value);
  return spliced + json.slice(from);
}
