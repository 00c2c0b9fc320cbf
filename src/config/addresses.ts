/**
 * The network addresses of the `server` section and of webhooks: the listen address, http(s) URLs and origins.
 * Each parser returns the parsed value or a reason; reasons never repeat the input, which may be a secret from the
 * environment.
 */
import { isIP } from 'node:net';

export interface ListenAddress {
  /** IP address or host name, without brackets; '' means every interface (Node's default for `listen`). */
  host: string;
  /** 0 lets the system pick a free port. */
  port: number;
}

const LISTEN = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const DOTTED_NUMBERS = /^[\d.]+$/;
const BARE_IPV6_AND_PORT = /^[\dA-Fa-f.]*:[\dA-Fa-f.]*:[\dA-Fa-f:.]*$/;

/** `127.0.0.1:3000`, `localhost:3000`, `[::1]:3000` or `:3000`. */
export function parseListen(text: string): ListenAddress | { error: string } {
  const match = LISTEN.exec(text);
  if (!match) {
    const bareIpv6 = BARE_IPV6_AND_PORT.test(text);
    return {
      error: bareIpv6
        ? 'an IPv6 address must be in brackets, e.g. [::1]:3000'
        : 'must be host:port, [ipv6]:port or :port, e.g. 127.0.0.1:3000',
    };
  }
  const [, ipv6, host = '', portText] = match;
  const port = Number(portText);
  if (port > 65535) return { error: 'the port must be between 0 and 65535' };
  if (ipv6 !== undefined)
    return isIP(ipv6) === 6 ? { host: ipv6, port } : { error: 'the address in brackets must be an IPv6 address' };
  if (host === '' || isIP(host) === 4) return { host, port };
  if (DOTTED_NUMBERS.test(host)) return { error: 'the host is not a valid IPv4 address' };
  return HOSTNAME.test(host)
    ? { host, port }
    : { error: 'the host must be an IPv4 address, a host name or [an IPv6 address]' };
}

/** Why `text` is not an absolute http:// or https:// URL, or undefined when it is one. */
export function httpUrlProblem(text: string): string | undefined {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url) return 'must be an absolute URL such as https://example.com/path';
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'must be an http:// or https:// URL';
}

/**
 * Why `text` is not an origin exactly as browsers send it in the Origin header (scheme://host[:port], lower case,
 * no default port, no path or trailing slash), or undefined when it is one. Origins are compared as strings later,
 * so anything that merely means the same origin would silently never match.
 */
export function originProblem(text: string): string | undefined {
  const problem = httpUrlProblem(text);
  if (problem) return 'must be an origin such as https://shop.example.com';
  return new URL(text).origin === text
    ? undefined
    : 'must be an origin as browsers send it: scheme://host[:port], lower case, no default port, no path or trailing slash';
}
