/**
 * Wires the chat services over the ports. One instance per daemon; `start()` loads the persisted state.
 */
import { isAppError } from '../domain/errors.js';
import type { Store } from '../domain/ports/store.js';
import { AgentPresence } from './agent-presence.js';
import { agentDesk } from './agent-desk.js';
import { agentView } from './agent-view.js';
import type { ChatServices } from './api.js';
import { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import { Counters } from './counters.js';
import { Dispatcher } from './dispatch.js';
import { liveServices, type LiveServices } from './live.js';
import { reconfigure } from './reconfigure.js';
import { Messages } from './messages.js';
import { QueueTimeout } from './queue-timeout.js';
import { RateLimits } from './rate-limits.js';
import { Rooms } from './rooms.js';
import { Router } from './router.js';
import { visitorDesk } from './visitor-desk.js';
import { visitorExtras } from './visitor-extras.js';
import { Visitors } from './visitors.js';
import { widgetConfig } from './widget-config.js';

export type { ChatServices } from './api.js';
export type { ServiceDeps } from './context.js';

export function createChatServices(deps: ServiceDeps): ChatServices {
  const state = new ChatState();
  const counters = new Counters();
  const presence = new AgentPresence(deps.config, deps.now);
  const router = new Router(deps, state, presence, counters);
  const dispatcher = new Dispatcher(deps, state, router);
  const visitors = new Visitors(deps, state, counters);
  const rooms = new Rooms(deps, state, router, counters, dispatcher, visitors.lock);
  const messages = new Messages(deps, state, dispatcher);
  const limits = new RateLimits(deps.config);
  const queueTimeout = new QueueTimeout(deps, state, rooms);
  const parts = { state, visitors, rooms, messages, router, presence, counters, dispatcher, limits };
  // The coordinator's generation: 1 for the snapshot the daemon started with, then whatever reconfigure is told.
  let generation = 1;

  return {
    async start() {
      await Promise.all([state.load(deps.store), counters.load(deps.store), presence.load(deps.store)]);
      loadMessageIdsInBackground(state, deps.store);
      presence.startGracePeriods();
      queueTimeout.start();
    },
    visitors: {
      async register(input) {
        if (input.ip !== undefined) await limits.take('registrationsPerIp', input.ip);
        return visitors.register(input);
      },
      require: (token) => visitors.require(token),
      setStatus: (token, status) => visitors.setStatus(token, status),
      remove: (token) => visitors.remove(token),
    },
    reconfigure(next, previous, committed) {
      generation = committed;
      return reconfigure(deps, parts, next, previous, committed);
    },
    generation: () => generation,
    // The realtime server calls live.stop() when the daemon stops, before the store closes: timers end there.
    live: withStop(liveServices(deps, parts), () => queueTimeout.stop()),
    ...visitorDesk(deps, parts),
    ...visitorExtras(deps, parts),
    agents: agentDesk(deps, parts),
    limits,

    async widgetConfig({ token, serverUrl }) {
      const config = deps.config();
      const visitor = token === undefined ? undefined : await visitors.find(token);
      const room = visitor && state.ofToken(visitor.token);
      const agent = room?.servedBy && agentView(config, presence, room.servedBy.username);
      return widgetConfig(config, {
        online: rooms.isOnline(),
        soundUrl: `${(config.server.publicUrl ?? serverUrl).replace(/\/+$/, '')}/sounds/chime.mp3`,
        ...(visitor && { visitor }),
        ...(room && { room }),
        ...(agent && { agent }),
      });
    },
  };
}

function withStop(live: LiveServices, alsoStop: () => void): LiveServices {
  return {
    ...live,
    stop() {
      live.stop();
      alsoStop();
    },
  };
}

/** How long a failed scan of the stored message ids waits before it is tried again. */
const ID_SCAN_RETRY_MS = 5_000;

/**
 * Fills the message-id filter without holding up the start: until it is done, every id is asked of the store —
 * slower, never wrong. A scan that fails (the store reopening after a failed write) is tried again later; one
 * that fails because the store closed, the daemon stopping, is not.
 */
function loadMessageIdsInBackground(state: ChatState, store: Store): void {
  const attempt = (): void => {
    state.loadMessageIds(store).catch((err: unknown) => {
      if (isAppError(err) && err.code === 'store-closed') return;
      setTimeout(attempt, ID_SCAN_RETRY_MS).unref();
    });
  };
  attempt();
}
