/**
 * The use cases the transports (HTTP, WebSocket, DDP) call. Inputs have already passed the JSON Schemas in
 * schemas/http; services check everything that needs state (tokens, ownership, config rules) and fail with
 * AppErrors whose codes are the Rocket.Chat error codes clients compare against.
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { AgentStatus } from '../domain/events.js';
import type { Message } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import type { Visitor, VisitorStatus } from '../domain/visitor.js';
import type { CustomFieldInput } from './custom-field-rules.js';
import type { LiveServices } from './live.js';
import type { RateLimits } from './rate-limits.js';
import type { RegisterInput } from './visitors.js';

export type { CustomFieldInput, LiveServices, RegisterInput };

/** Rocket.Chat's agent object as visitors see it, or `{hiddenInfo:true}` when agent info is hidden. */
export type AgentView =
  | {
      _id: string;
      username: string;
      name: string;
      status: AgentStatus;
      emails?: { address: string; verified: boolean }[];
    }
  | { hiddenInfo: true };

export interface AgentProfile {
  username: string;
  name: string;
  email?: string;
  role: 'agent' | 'manager';
  status: AgentStatus;
  departments: string[];
  maxChats: number;
}

/** What an agent sees of a room's visitor (never the token). */
export interface VisitorDetails {
  _id: string;
  username: string;
  name?: string;
  email?: string;
  phone?: string;
  department?: { _id: string; name: string };
  /** Visible custom fields with a value, visitor- and room-scoped, in configuration order. */
  customFields: { id: string; label: string; value: string }[];
  userAgent?: string;
  browser?: string;
  os?: string;
  ip?: string;
}

export interface PageVisit {
  ts: string;
  title: string;
  href: string;
}

/** A configured agent as the transfer picker lists them. */
export interface AgentDirectoryEntry {
  username: string;
  name: string;
  status: AgentStatus;
  departments: string[];
}

export interface PageInfo {
  change: string;
  title: string;
  location: { href: string };
}

export interface ChatServices {
  /** Loads the persisted state (open rooms, sessions, counters). Call once before serving. */
  start(): Promise<void>;

  /** Brings the running chats in line with a newly committed configuration (see reconfigure.ts). */
  reconfigure(next: ConfigSnapshot, previous: ConfigSnapshot, generation: number): Promise<void>;

  /** The configuration generation last applied (1 until the first reload commits). */
  generation(): number;

  /** `livechat.limits`: services apply those keyed by visitor or user; transports those keyed by address or connection. */
  limits: RateLimits;

  /** Presence, typing, replay and queue positions for the realtime channels. */
  live: LiveServices;

  visitors: {
    /** `ip` counts against livechat.limits.registrationsPerIp. */
    register(input: RegisterInput): Promise<Visitor>;
    require(token: string): Promise<Visitor>;
    setStatus(token: string, status: VisitorStatus): Promise<Visitor>;
    remove(token: string): Promise<Visitor>;
  };

  rooms: {
    /** `ip` counts a new room against livechat.limits.roomsPerIp. */
    openOrGet(input: { token: string; rid?: string; agentId?: string; source?: 'widget' | 'api'; ip?: string }): Promise<{ room: Room; newRoom: boolean }>;
    closeByVisitor(input: { token: string; rid: string }): Promise<{ room: Room; comment: string }>;
    transferByVisitor(input: { token: string; rid: string; department: string }): Promise<Room>;
    survey(input: { token: string; rid: string; data: { name: string; value: string }[] }): Promise<{ rid: string; data: Record<string, string> }>;
    agentInfo(input: { token: string; rid: string }): Promise<AgentView>;
    /** undefined when the visitor already has an open room (Rocket.Chat answers `{}` then). */
    nextAgent(input: { token: string; department?: string }): Promise<AgentView | undefined>;
    requestTranscript(input: { token: string; rid: string; email: string }): Promise<void>;
  };

  messages: {
    post(input: { token: string; rid: string; msg: string; _id?: string }): Promise<Message>;
    get(input: { token: string; rid?: string; id: string }): Promise<Message>;
    edit(input: { token: string; rid: string; id: string; msg: string }): Promise<Message>;
    remove(input: { token: string; rid: string; id: string }): Promise<Message>;
    /** Visible messages, newest first. `ls`/`end` are ISO dates bounding `ts` (inclusive / exclusive). */
    history(input: { token: string; rid: string; limit?: number; ls?: string; end?: string }): Promise<Message[]>;
  };

  customFields: {
    set(input: { token: string } & CustomFieldInput): Promise<CustomFieldInput>;
    setMany(input: { token: string; customFields: CustomFieldInput[] }): Promise<CustomFieldInput[]>;
  };

  pages: {
    /** undefined when the change is not tracked (only `url` changes are, like Rocket.Chat's default). */
    /** `ip` counts against livechat.limits.pageVisitsPerIp. */
    visited(input: { token: string; rid?: string; pageInfo: PageInfo; ip?: string }): Promise<{ msg: string; navigation: { page: PageInfo; token: string } } | undefined>;
  };

  offline: {
    /** `ip` counts against livechat.limits.offlineMessagesPerIp. */
    send(input: { name: string; email: string; message: string; department?: string; host?: string; ip?: string }): Promise<void>;
  };

  /**
   * The `config` object of `GET livechat/config` (spec §1.3), with guest/room/agent when the token matches.
   * `serverUrl` is how the client reached us, for absolute resource URLs when `server.publicUrl` is unset.
   */
  widgetConfig(input: { token?: string; serverUrl: string }): Promise<Record<string, unknown>>;

  agents: {
    /** Verifies the password (constant time); throws `unauthorized` or `error-too-many-requests`. */
    login(input: { username: string; password: string; ip: string }): Promise<{ token: string; user: AgentProfile }>;
    logout(token: string): Promise<void>;
    /** The username a session token belongs to; throws `unauthorized`. */
    authenticate(token: string): string;
    me(username: string): AgentProfile;
    setStatus(username: string, status: 'available' | 'away'): Promise<AgentProfile>;
    /** Agents: the rooms they serve. Managers: every open room, queued ones included. */
    rooms(username: string): Room[];
    /** Queued rooms this user may take, oldest first. */
    queue(username: string): Room[];
    history(username: string, input: { rid: string; afterSeq?: number; limit?: number }): Promise<Message[]>;
    take(username: string, rid: string): Promise<Room>;
    send(username: string, input: { rid: string; msg: string; clientMsgId?: string }): Promise<Message>;
    close(username: string, input: { rid: string; comment?: string }): Promise<Room>;
    transfer(username: string, input: { rid: string; agent?: string; department?: string; comment?: string }): Promise<Room>;
    /** The visitor of a room this user may act on, and the pages they visited (oldest first, the latest ones). */
    visitor(username: string, rid: string): Promise<{ visitor: VisitorDetails; pages: PageVisit[] }>;
    /** Configured agents (not managers) with their live status, for transfer pickers. */
    directory(username: string): AgentDirectoryEntry[];
  };
}
