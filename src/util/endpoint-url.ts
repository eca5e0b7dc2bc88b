/**
 * A target's base_url as requests use it: every request path goes after the base path, and the
 * base's query string (Azure's `?api-version=...`) goes on every request. Credentials written into
 * the URL (`https://user:password@host`) are taken out by the plan, which sends them as Basic auth.
 */

/** `base` with `path` appended to its path, its query string kept: `https://h/v1?x=1` + `/models`. */
export function endpointUrl(base: string, path: string): string {
  const url = new URL(base);
  url.pathname = url.pathname.replace(/\/+$/, "") + path;
  return url.toString();
}

/** Query parameters whose values are credentials (`?key=`, `?sig=`, `?access_token=`). */
const SECRET_PARAM = /(key|token|secret|sig|signature|password|auth|credential|code)/i;

/** What a base_url carries besides where to send: Basic credentials and secret query values. */
export interface UrlCredentials {
  /** The URL without user and password. */
  url: string;
  /** `user:password` from the URL, decoded. */
  basic?: { user: string; password: string };
  /** Values of query parameters that look like credentials, to redact from every output. */
  secrets: string[];
}

/** Splits a base_url into where to send and the credentials it carries (see UrlCredentials). */
export function urlCredentials(raw: string): UrlCredentials {
  const url = new URL(raw);
  const secrets: string[] = [];
  for (const [name, value] of url.searchParams) if (SECRET_PARAM.test(name) && value) secrets.push(value);
  if (!url.username && !url.password) return { url: raw, secrets };
  const basic = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = "";
  url.password = "";
  return { url: url.toString(), basic, secrets };
}

/** The Authorization header for Basic credentials (RFC 7617). */
export function basicAuthorization(basic: { user: string; password: string }): string {
  return `Basic ${Buffer.from(`${basic.user}:${basic.password}`, "utf8").toString("base64")}`;
}
