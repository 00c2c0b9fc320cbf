/**
 * The app's iframe and the postMessage channel to it. Messages go only to the server's origin and are accepted
 * only from the iframe's window on that origin; calls made before the app said `ready` wait in order.
 */
import { SRC, type BridgeMessage } from '../shared/protocol';

export let frame: HTMLIFrameElement | undefined;
let target = '';
let ready = false;
let queue: [string, unknown[]][] = [];

const post = (fn: string, args: unknown[]): void => {
  const message: BridgeMessage = { src: SRC, fn, args };
  frame!.contentWindow!.postMessage(message, target);
};

export function listen(origin: string, onMessage: (fn: string, args: unknown[]) => void): void {
  target = origin;
  addEventListener('message', (event: MessageEvent) => {
    const data = event.data as BridgeMessage | null;
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin || !data || data.src !== SRC) return;
    if (data.fn === 'ready') {
      ready = true;
      queue.splice(0).forEach(([fn, args]) => post(fn, args));
    }
    onMessage('' + data.fn, ([] as unknown[]).concat(data.args));
  });
}

export function createFrame(parent: HTMLElement, src: string): HTMLIFrameElement {
  frame = document.createElement('iframe');
  frame.src = src;
  frame.hidden = true;
  parent.append(frame);
  return frame;
}

export function call(fn: string, args: unknown[]): void {
  if (ready) return post(fn, args);
  // only the latest page matters to an app that is not there yet
  if (fn === 'pageVisited') queue = queue.filter(([f]) => f !== fn);
  queue.push([fn, args]);
}
