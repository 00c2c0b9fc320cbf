/**
 * The WebSocket the client needs: the WHATWG interface, which browsers have built in and the `ws` package
 * implements for Node. Callers pass the constructor, so this module runs in both.
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

export type SocketFactory = (url: string) => SocketLike;

export const OPEN = 1;

/** Close codes after which reconnecting with the same credentials cannot help (see src/realtime/close-codes.ts). */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([1008, 4003, 4004]);

export function wsUrl(httpUrl: string, path: string): string {
  const url = new URL(path, httpUrl.endsWith('/') ? httpUrl : `${httpUrl}/`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
