/**
 * Everything that can change the console's state: frames from the daemon, answers to what the console asked,
 * the clock, and the agent's own moves. `reduce` (reduce.ts) applies them.
 */
import type { ConnectionState } from './console-client.js';
import type { Editor } from './editor.js';
import type { AgentEntry } from './console-client.js';
import type { Modal, Notice, Pane, VisitorLookup } from './state.js';
import type { ChatMessage, Profile, RoomView, ServerFrame } from './wire.js';

export type Action =
  // From the daemon
  | { type: 'frame'; frame: ServerFrame }
  | { type: 'connection'; state: ConnectionState; detail?: string }
  | { type: 'history'; rid: string; messages: ChatMessage[] }
  | { type: 'site'; departments: { _id: string; name: string }[]; messageMaxLength?: number }
  | { type: 'room-result'; room: RoomView }
  | { type: 'visitor'; rid: string; lookup: VisitorLookup }
  | { type: 'directory'; agents: AgentEntry[] }
  | { type: 'profile'; user: Profile }
  | { type: 'send-started'; rid: string; clientMsgId: string; msg: string }
  | { type: 'send-acked'; rid: string; clientMsgId: string; _id: string; seq: number; ts: string }
  | { type: 'send-failed'; rid: string; clientMsgId: string; reason: string }
  // The clock: waiting times
  | { type: 'tick'; now: number }
  // The agent
  | { type: 'move'; delta: number }
  | { type: 'select'; rid: string }
  | { type: 'focus'; pane: Pane }
  | { type: 'cycle-focus'; back?: boolean }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'scroll-bottom' }
  | { type: 'toggle-visitor' }
  | { type: 'modal'; modal: Modal | null }
  | { type: 'draft'; rid: string; editor: Editor }
  | { type: 'discard-failed'; rid: string }
  | { type: 'notice'; notice: Notice | null }
  | { type: 'quitting' };
