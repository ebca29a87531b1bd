/** What stands in for a password. */
const MASK = '***';

/** Query parameters that libpq and node-postgres take as a password. */
const SECRET_PARAMETERS = ['password', 'sslpassword'];

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The URL as it may be shown in an error, a log line or an API answer: its
 * password, in the user part or as a query parameter, replaced by `***`.
 * A string that is no URL is masked by its shape (the text between `:` and
 * the last `@`, and `password=` values), never echoed whole.
 */
export function maskUrl(raw: string): string {
  // Without `//` there is no user part to parse: `user:pw@host` parses as scheme `user:` with a path.
  if (!SCHEME.test(raw)) return maskUnparsed(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return maskUnparsed(raw);
  }
  const secretParameters = [...url.searchParams.keys()].filter((key) => SECRET_PARAMETERS.includes(key.toLowerCase()));
  if (!url.password && secretParameters.length === 0) return raw;
  if (url.password) url.password = MASK;
  for (const key of secretParameters) url.searchParams.set(key, MASK);
  return url.toString();
}

function maskUnparsed(raw: string): string {
  const scheme = SCHEME.exec(raw)?.[0] ?? '';
  let rest = raw.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at >= 0 && colon >= 0 && colon < at) rest = `${rest.slice(0, colon)}:${MASK}${rest.slice(at)}`;
  return scheme + rest.replace(/((?:ssl)?password\s*=\s*)[^&\s]*/gi, `$1${MASK}`);
}

/**
 * An endpoint as a log line shows it: `maskUrl`, and every query parameter's value masked too, since a
 * collector's URL may carry its API key there (`?api_key=…`) under any name.
 */
export function maskEndpoint(raw: string): string {
  const masked = maskUrl(raw);
  let url: URL;
  try {
    url = new URL(masked);
  } catch {
    return masked;
  }
  if (url.search === '') return masked;
  for (const key of new Set(url.searchParams.keys())) url.searchParams.set(key, MASK);
  return url.toString();
}
