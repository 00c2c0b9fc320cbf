/**
 * `visitor.os` / `visitor.browser` of the room payloads, from the User-Agent of the visitor's first request,
 * parsed the way Rocket.Chat does it (ua-parser-js; "name version", e.g. "Chrome 120.0.0.0", "Windows 10").
 * Rocket.Chat writes "Linux undefined" when there is no version; we write the name alone.
 */
import UAParser from 'ua-parser-js';

export function describeUserAgent(userAgent: string): { os?: string; browser?: string } {
  const parsed = new UAParser(userAgent);
  const os = nameAndVersion(parsed.getOS());
  const browser = nameAndVersion(parsed.getBrowser());
  return { ...(os !== undefined && { os }), ...(browser !== undefined && { browser }) };
}

function nameAndVersion({ name, version }: { name?: string | undefined; version?: string | undefined }): string | undefined {
  if (!name) return undefined;
  return version ? `${name} ${version}` : name;
}
