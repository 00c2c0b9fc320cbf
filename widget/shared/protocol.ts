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

/** Events the host page can subscribe to (`this.onChatStarted(fn)` → `chat-started`). */
export const CALLBACKS: Record<string, string> = {
  onChatMaximized: 'chat-maximized',
  onChatMinimized: 'chat-minimized',
  onChatStarted: 'chat-started',
  onChatEnded: 'chat-ended',
  onPrechatFormSubmit: 'pre-chat-form-submit',
  onOfflineFormSubmit: 'offline-form-submit',
  onWidgetShown: 'show-widget',
  onWidgetHidden: 'hide-widget',
  onAssignAgent: 'assign-agent',
  onAgentStatusChange: 'agent-status-change',
  onQueuePositionChange: 'queue-position-change',
  onServiceOffline: 'no-agent-online',
};

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
