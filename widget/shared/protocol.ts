/**
 * The postMessage bridge between the loader (host page) and the app (iframe on the server's origin). Messages keep
 * Rocket.Chat's envelope `{src:'rocketchat', fn, args}`, but each side posts only to the other's exact origin and
 * accepts only messages whose `event.origin` and `event.source` are the other side.
 */
export const SRC = 'rocketchat';

export interface BridgeMessage {
  src: typeof SRC;
  fn: string;
  args: unknown[];
}

/**
 * The host page's callbacks: `this.on<Name>(fn)` registers for `<Name>`. The app names the event by `<Name>` in
 * its `callback` message (Rocket.Chat's event names, below, are for reading; the loader does not carry them).
 */
export const CALLBACKS =
  'ChatMaximized ChatMinimized ChatStarted ChatEnded PrechatFormSubmit OfflineFormSubmit WidgetShown WidgetHidden AssignAgent AgentStatusChange QueuePositionChange ServiceOffline';

/** Rocket.Chat's event names → the callback they run on the host page (`chat-started` → `onChatStarted`). */
export const EVENTS = {
  'chat-maximized': 'ChatMaximized',
  'chat-minimized': 'ChatMinimized',
  'chat-started': 'ChatStarted',
  'chat-ended': 'ChatEnded',
  'pre-chat-form-submit': 'PrechatFormSubmit',
  'offline-form-submit': 'OfflineFormSubmit',
  'show-widget': 'WidgetShown',
  'hide-widget': 'WidgetHidden',
  'assign-agent': 'AssignAgent',
  'agent-status-change': 'AgentStatusChange',
  'queue-position-change': 'QueuePositionChange',
  'no-agent-online': 'ServiceOffline',
} as const;

export type HostEvent = keyof typeof EVENTS;

/** Rocket.Chat's `page.visited` payload; the app builds it from the loader's `pageVisited [change, href, title]`. */
export interface PageInfo {
  change: 'url' | 'title';
  title: string;
  location: { href: string };
}

/** A trigger action handed to the app when the loader decided that a trigger fires. */
export interface TriggerAction {
  name: string;
  params: { sender: 'queue' | 'custom'; name?: string; msg: string; delaySeconds?: number };
}

export interface TriggerCondition {
  name: string;
  value?: string | number;
}

export interface Trigger {
  _id: string;
  runOnce: boolean;
  conditions: TriggerCondition[];
  actions: TriggerAction[];
}

/** The part of `GET livechat/config` the loader reads. */
export interface LoaderConfig {
  enabled: boolean;
  online: boolean;
  theme?: { title?: string; color?: string; offlineTitle?: string; offlineColor?: string; position?: string; iconColor?: string };
  settings?: { language?: string };
  triggers?: Trigger[];
}

/** The host page's origin travels to the app in the iframe URL's fragment: `#o=<origin>`. */
export const ORIGIN_PARAM = 'o';
