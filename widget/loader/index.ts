/**
 * The embed loader (`/livechat/rocketchat-livechat.min.js`): Rocket.Chat's snippet API on the host page.
 *
 * A page view costs this script and one config request. The launcher shows online/offline from that config; the
 * app's iframe is created only when the visitor opens the widget, a trigger fires, the site calls
 * maximizeWidget(), or a chat is already in progress (remembered from an earlier page).
 */
import { CALLBACKS, ORIGIN_PARAM, type LoaderConfig, type Trigger } from '../shared/protocol';
import { call, createFrame, frame, listen } from './bridge';
import { hints, loadHints, saveHints, siteEntry } from './hints';
import { box, button, mountLauncher, paintLauncher } from './launcher';
import { page, watchPage } from './page';
import { checkTriggers, flags, startTriggers, urlChanged } from './triggers';

type Api = Record<string, (...args: any[]) => void>;
type Callback = (this: Api, data?: unknown) => void;
interface Stub {
  (c: Callback): void;
  _?: Callback[];
  url?: string;
  livechat?: Api;
}

/** Calls the app handles as they are. */
const FORWARDED = 'setCustomField setDepartment clearDepartment setGuestToken setGuestName setGuestEmail registerGuest setAgent setLanguage';

const win = window as unknown as { RocketChat?: Stub };
const stub = win.RocketChat;
const api: Api = {};
/** Registered callbacks by name (`ChatStarted`); only the names in CALLBACKS have an entry. */
const handlers: Record<string, Callback[]> = Object.create(null);
const theme: Record<string, string | undefined> = {};
let appUrl: URL;
let cfg: LoaderConfig | undefined;
let open = false;
let visible = true;
let unread = 0;
let title = '';
/** The launcher's accessible names (closed, open), localised by the app once it is loaded. */
let labels: string[] = [];

const run = (fn: Callback, data?: unknown): void => {
  try {
    fn.call(api, data);
  } catch (err) {
    console.error(err);
  }
};
const emit = (event: string, data?: unknown): void => handlers[event]!.forEach((fn) => run(fn, data));

if (stub && stub.url && !stub.livechat) boot(stub);

function boot(stub: Stub): void {
  appUrl = new URL(stub.url!, location.href);
  const server = appUrl.origin + appUrl.pathname.replace(/\/livechat\/?$/, '');
  appUrl.hash = ORIGIN_PARAM + '=' + encodeURIComponent(location.origin);
  loadHints(server);
  mountLauncher(() => setOpen(!open, true));
  listen(appUrl.origin, onApp);

  for (const name of FORWARDED.split(' ')) api[name] = (...args: unknown[]) => call(name, args);
  for (const name of CALLBACKS.split(' ')) {
    handlers[name] = [];
    api['on' + name] = (fn: Callback) => handlers[name]!.push(fn);
  }
  api.setTheme = (t: Record<string, string>) => {
    Object.assign(theme, t);
    paint();
    call('setTheme', [t]);
  };
  api.pageVisited = (change: 'url' | 'title') => call('pageVisited', page(change));
  api.showWidget = () => show(true);
  api.hideWidget = () => show(false);
  api.maximizeWidget = () => setOpen(true);
  api.minimizeWidget = () => setOpen(false);
  api.initialize = (params: Record<string, unknown> = {}) => {
    if (params.theme) api.setTheme!(params.theme);
    call('initialize', [params]);
  };

  // From now on RocketChat(fn) runs fn at once; the calls the snippet queued run first, in order.
  const queued = stub._ || [];
  win.RocketChat = Object.assign((fn: Callback) => run(fn), { _: [], url: stub.url, livechat: api });
  queued.forEach((fn) => run(fn));

  watchPage((change) => {
    api.pageVisited!(change);
    if (change === 'url') urlChanged();
  });

  fetch(server + '/api/v1/livechat/config')
    .then((res) => res.json())
    .then((body: { config?: LoaderConfig }) => {
      cfg = body.config;
      if (!cfg || !cfg.enabled) return;
      paint();
      if (!cfg.online) emit('ServiceOffline');
      if (hints.a) {
        app();
        if (hints.o) setOpen(true);
      }
      startTriggers(cfg.triggers || [], siteEntry(), () => cfg!.online && !hints.a, fire);
    })
    .catch(() => console.warn('livechat: no config'));
}

function onApp(fn: string, args: unknown[]): void {
  if (fn === 'minimizeWindow') {
    setOpen(false);
    button.focus();
  } else if (fn === 'launcher') {
    [unread, ...labels] = args as [number, string, string];
    paint();
  } else if (fn === 'active') saveHints({ a: !!args[0] });
  else if (fn === 'registered') {
    // however it happened: the form, the first message without a form, or the site's registerGuest()
    flags['after-guest-registration'] = true;
    checkTriggers();
  } else if (fn === 'callback') {
    const [event, data] = args as [string, unknown];
    if (handlers[event]) emit(event, data);
  }
}

/** The app's iframe, created on first need. */
function app(): HTMLIFrameElement {
  if (frame) return frame;
  const f = createFrame(box, appUrl.href);
  f.title = title;
  call('pageVisited', page('url'));
  return f;
}

function setOpen(value: boolean, byVisitor = false): void {
  if (value === open) return;
  open = value;
  saveHints({ o: value });
  if (value) unread = 0;
  const f = value ? app() : frame;
  if (f) f.hidden = !value;
  call('setOpen', [value, byVisitor]);
  paint();
  emit(value ? 'ChatMaximized' : 'ChatMinimized');
  if (value && byVisitor) {
    f!.focus();
    flags['chat-opened-by-visitor'] = true;
    checkTriggers();
  }
}

function show(value: boolean): void {
  visible = value;
  paint();
  emit(value ? 'WidgetShown' : 'WidgetHidden');
}

function fire(trigger: Trigger): void {
  for (const action of trigger.actions) {
    setTimeout(() => {
      app();
      call('trigger', [trigger._id, action]);
      setOpen(true);
    }, (+action.params.delaySeconds! || 0) * 1000);
  }
}

function paint(): void {
  if (!cfg) return;
  const t = { ...cfg.theme, ...theme };
  title = (cfg.online ? t.title : t.offlineTitle) || 'Chat';
  paintLauncher(t, cfg.online, open, unread, title, labels[+open] || title);
  box.hidden = !visible;
  if (frame) frame.title = title;
}
