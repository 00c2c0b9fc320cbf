/**
 * What a committed reload changes in the running chats. The new snapshot is already active when this runs
 * (the coordinator swapped it); this moves the live state to agree with it:
 * - users removed from the config, or whose password hash changed, lose their sessions (the sessions check the
 *   config on every use) and their connections; removed agents' open chats are re-routed or queued;
 * - queued chats of a department that is gone or disabled fall back to the routing rules;
 * - the queue is drained under the new rules and capacities;
 * - widgets are told to refetch their config, and agent consoles hear the new generation.
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { DomainEvent } from '../domain/events.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Dispatcher } from './dispatch.js';
import type { Routed, Router } from './router.js';
import { chooseDepartment } from '../routing/department.js';

export async function reconfigure(
  deps: ServiceDeps,
  parts: { state: ChatState; router: Router; dispatcher: Dispatcher },
  next: ConfigSnapshot,
  previous: ConfigSnapshot,
  generation: number,
): Promise<void> {
  const { state, router, dispatcher } = parts;
  const events: DomainEvent[] = [];
  const routed: Routed[] = [];

  for (const username of Object.keys(previous.users)) {
    const now = next.users[username];
    if (!now) events.push({ type: 'agent.revoked', username, reason: 'removed' });
    else if (now.passwordHash !== previous.users[username]!.passwordHash) events.push({ type: 'agent.revoked', username, reason: 'credentials-changed' });
    if (!now) {
      for (const room of state.servedBy(username)) routed.push(router.assign(room, router.pick({ ...room, servedBy: undefined })));
    }
  }

  for (const room of state.queue()) {
    const department = room.departmentId === undefined ? undefined : next.departmentById[room.departmentId];
    if (room.departmentId === undefined || department?.enabled) continue;
    const fallback = chooseDepartment(router.departments(), undefined, (u) => router.isAgentOnline(u));
    const moved = { ...room, departmentId: fallback };
    routed.push(router.assign(moved, router.pick(moved)));
  }

  try {
    await dispatcher.apply([], routed.flatMap((r) => r.ops), [...events, ...routed.flatMap((r) => r.events), { type: 'config.changed', hash: next.hash, generation }]);
  } catch (err) {
    for (const r of routed.reverse()) r.undo();
    throw err;
  }
  await dispatcher.drain();
}
