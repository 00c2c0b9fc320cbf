/**
 * Domain events → the DDP `changed` frames Rocket.Chat's streamer would send (rocketchat-compat.md §2.4, §2.5).
 * Pure mapping: what a room looks like comes with the event, who serves it and their status from the services;
 * nothing here keeps chat state of its own.
 */
import type { AgentStatus, DomainEvent } from '../../domain/events.js';
import type { AgentView, LiveServices } from '../../services/api.js';
import { ddpMessage } from './ejson.js';
import { STREAM, type StreamName } from './streams.js';

export interface Change {
  rid: string;
  collection: StreamName;
  eventName: string;
  args: readonly unknown[];
}

/**
 * `watched`: the rooms some DDP connection subscribes to, for events that name an agent rather than a room.
 * Not mapped on purpose: `message.deleted` (Rocket.Chat's `<rid>/deleteMessage` would reach the widget's typing
 * handler, which reads every stream-notify-room frame as `[username, isTyping]`), the visitor's own typing
 * (Rocket.Chat does not echo it to the sender), and `config.changed` (the 1.13.3 widget has no way to take it).
 * No `t:'command', msg:'connected'` message is made up on assignment: Rocket.Chat sends it only when the routing
 * method shows "connecting", and our widget config says `showConnecting: false`.
 */
export function changesFor(event: DomainEvent, live: LiveServices, watched: Iterable<string>): Change[] {
  switch (event.type) {
    case 'message.created':
    case 'message.updated': // the widget upserts by _id, so an edit is the message again
      if (event.message._hidden) return [];
      return [{ rid: event.room._id, collection: STREAM.roomMessages, eventName: event.room._id, args: [ddpMessage(event.message)] }];
    case 'typing':
      if (event.from !== 'agent') return [];
      return [{ rid: event.rid, collection: STREAM.notifyRoom, eventName: `${event.rid}/typing`, args: [event.username, event.typing] }];
    case 'room.assigned': {
      // Routing, taking from the queue and transfers all end in room.assigned: one agentData for each.
      const agent = live.agentOf(event.room);
      return agent ? [livechatRoom(event.room._id, { type: 'agentData', data: ddpAgent(agent) })] : [];
    }
    case 'agent.status': {
      const changes: Change[] = [];
      for (const rid of watched) {
        const room = live.room(rid);
        if (room?.servedBy?.username !== event.username) continue;
        // Rocket.Chat sends agentStatus only when agent info is shown (Livechat_show_agent_info).
        const agent = live.agentOf(room);
        if (agent && !('hiddenInfo' in agent)) changes.push(livechatRoom(rid, { type: 'agentStatus', status: rcStatus(event.status) }));
      }
      return changes;
    }
    default:
      return [];
  }
}

/** Events after which queued rooms may have moved: one joined or left the queue. */
export function movesQueue(event: DomainEvent): boolean {
  return event.type === 'room.queued' || event.type === 'room.assigned' || event.type === 'room.closed';
}

/** `{spot}` only: the widget shows the spot; `message` and `estimatedWaitTimeSeconds` are optional there. */
export function queueData(rid: string, spot: number): Change {
  return livechatRoom(rid, { type: 'queueData', data: { spot } });
}

function livechatRoom(rid: string, payload: object): Change {
  return { rid, collection: STREAM.livechatRoom, eventName: rid, args: [payload] };
}

/** Rocket.Chat's presence words: our `available` is its `online` (the widget styles the agent's status by it). */
export function rcStatus(status: AgentStatus): 'online' | 'away' | 'offline' {
  return status === 'available' ? 'online' : status;
}

function ddpAgent(agent: AgentView): object {
  return 'hiddenInfo' in agent ? agent : { ...agent, status: rcStatus(agent.status) };
}
