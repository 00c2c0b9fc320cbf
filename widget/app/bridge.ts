/**
 * The app's side of the postMessage bridge. The parent's origin comes from the browser when it tells us
 * (`location.ancestorOrigins`) and otherwise from the loader, in the URL fragment. Messages are posted to that
 * exact origin and accepted only from the parent window on that origin, so a page that frames us while
 * claiming another origin can neither read our messages nor send us any.
 */
import { ORIGIN_PARAM, SRC, type BridgeMessage } from '../shared/protocol';

const embedded = window.parent !== window;

function parentOrigin(): string | undefined {
  if (!embedded) return undefined;
  const fromBrowser = location.ancestorOrigins?.[0];
  if (fromBrowser) return fromBrowser;
  const claimed = new URLSearchParams(location.hash.slice(1)).get(ORIGIN_PARAM) ?? '';
  try {
    return new URL(claimed).origin === claimed ? claimed : undefined;
  } catch {
    return undefined;
  }
}

const origin = parentOrigin();

/** Whether the app runs inside a page's widget (as opposed to on its own, e.g. opened directly). */
export const inWidget = origin !== undefined;

export function toParent(fn: string, ...args: unknown[]): void {
  if (!origin) return;
  const message: BridgeMessage = { src: SRC, fn, args };
  window.parent.postMessage(message, origin);
}

export function fromParent(handle: (fn: string, args: unknown[]) => void): void {
  if (!origin) return;
  addEventListener('message', (event: MessageEvent) => {
    const data = event.data as BridgeMessage | null;
    if (event.source !== window.parent || event.origin !== origin || !data || data.src !== SRC || typeof data.fn !== 'string') return;
    handle(data.fn, Array.isArray(data.args) ? data.args : [data.args]);
  });
  toParent('ready');
}
