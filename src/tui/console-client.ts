/**
 * What the console needs from the daemon, as an interface: `AgentClient` (src/client) implements it for real,
 * the component tests pass a fake. The console talks to the daemon through nothing else.
 */
import type { AgentEntry, AgentMessage, SiteInfo, VisitorInfo } from '../client/agent-client.js';
import type { ConnectionState, Frame } from '../client/channel.js';

export type { AgentEntry, ConnectionState, Frame, SiteInfo, VisitorInfo };

export type TransferTarget = { agent: string } | { department: string };

export interface ConsoleClient {
  /** Opens the realtime channel; resolves with the first `ready` (rejects when the server refuses the session). */
  connect(): Promise<Frame>;
  on(listener: (frame: Frame) => void): () => void;
  onState(listener: (state: ConnectionState, detail?: string) => void): () => void;
  /** Resolves with the `ack` once the message is durable; the same clientMsgId is never stored twice. */
  send(rid: string, msg: string, clientMsgId?: string): Promise<Frame>;
  take(rid: string): Promise<Frame>;
  close(rid: string, comment?: string): Promise<Frame>;
  transfer(rid: string, target: TransferTarget, comment?: string): Promise<Frame>;
  setStatus(status: 'available' | 'away'): Promise<Frame>;
  typing(rid: string, typing: boolean): void;
  /** History of a room that appeared while connected (the channel carries only what follows). */
  messages(rid: string, afterSeq?: number): Promise<AgentMessage[]>;
  siteInfo(): Promise<SiteInfo>;
  /** The visitor of a room (e-mail, custom fields with labels, browser/OS) and the pages they visited. */
  visitor(rid: string): Promise<VisitorInfo>;
  /** The configured agents with their live status and departments: the transfer picker's list. */
  agents(): Promise<AgentEntry[]>;
  logout(): Promise<void>;
  disconnect(): void;
}
