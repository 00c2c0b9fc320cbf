/**
 * Everything the console shows, in one value. `reduce` (reduce.ts) is the only thing that makes a new one; the
 * components only read it, and what the daemon is asked to do leaves through effects (effects.ts).
 */
import type { AgentEntry, ConnectionState, VisitorInfo } from './console-client.js';
import { EMPTY, type Editor } from './editor.js';
import type { ChatMessage, Profile, RoomView } from './wire.js';

export type Pane = 'list' | 'conversation' | 'input';

export type TransferOption =
  | { kind: 'agent'; id: string; label: string; status?: string; departments?: string[] }
  | { kind: 'department'; id: string; label: string };

/** What the daemon told about a room's visitor, or why it could not. */
export type VisitorLookup = { info: VisitorInfo } | { error: string };

export type Modal =
  | { kind: 'help' }
  | { kind: 'close'; rid: string; comment: Editor }
  | { kind: 'transfer'; rid: string; filter: Editor; index: number }
  | { kind: 'transfer-comment'; rid: string; target: TransferOption; comment: Editor }
  | { kind: 'quit'; unsent: number };

/** An own message the server has not acknowledged yet. It is drawn apart, and joins the transcript on its ack. */
export interface Pending {
  clientMsgId: string;
  msg: string;
  failed?: string;
}

export interface Notice {
  text: string;
  tone: 'info' | 'error';
}

export interface ConsoleState {
  server: string;
  me: Profile;
  connection: { state: ConnectionState; detail?: string; ready: boolean };
  /** Open rooms the console shows (plus a closed one while it is selected). */
  rooms: Record<string, RoomView>;
  /** By room, in seq order, each seq once. */
  messages: Record<string, ChatMessage[]>;
  /** By room: messages up to this seq count as read. */
  readSeq: Record<string, number>;
  pending: Record<string, Pending[]>;
  /** Rooms that appeared while connected: the channel carries only what follows, so their history is fetched. */
  historyWanted: Record<string, true>;
  /** By room: who is typing right now (username → display name). */
  typing: Record<string, Record<string, string>>;
  /** Department id → name; agent username → name, as far as the console has heard of them. */
  departments: Record<string, string>;
  agents: Record<string, string>;
  /** The configured agents as last listed by the daemon (the transfer picker); null until then. */
  directory: AgentEntry[] | null;
  /** By room: the visitor's details and pages, once fetched for the visitor pane. */
  visitors: Record<string, VisitorLookup>;
  /** The daemon's configuration generation, from `ready` and `config.changed`. */
  generation?: number;
  messageMaxLength?: number;
  selected: string | null;
  focus: Pane;
  /** Lines scrolled up from the bottom of the conversation; 0 follows new messages. */
  scroll: number;
  showVisitor: boolean;
  drafts: Record<string, Editor>;
  modal: Modal | null;
  notice: Notice | null;
  /** Grows by one for each event worth a terminal bell; the app rings when it changes. */
  bells: number;
  now: number;
  quitting: boolean;
}

export function initialState(input: { server: string; me: Profile; now: number; showVisitor?: boolean }): ConsoleState {
  return {
    server: input.server,
    me: input.me,
    connection: { state: 'connecting', ready: false },
    rooms: {},
    messages: {},
    readSeq: {},
    pending: {},
    historyWanted: {},
    typing: {},
    departments: {},
    agents: { [input.me.username]: input.me.name },
    directory: null,
    visitors: {},
    selected: null,
    focus: 'list',
    scroll: 0,
    showVisitor: input.showVisitor ?? false,
    drafts: {},
    modal: null,
    notice: null,
    bells: 0,
    now: input.now,
    quitting: false,
  };
}

export const draftOf = (state: ConsoleState, rid: string | null): Editor => (rid ? (state.drafts[rid] ?? EMPTY) : EMPTY);
