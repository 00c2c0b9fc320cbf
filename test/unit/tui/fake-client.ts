/**
 * A fake of the console's client interface for component tests: records every call, lets the test push frames and
 * connection states, and answers requests from handlers the test may replace (a send can be left hanging, to see
 * it marked as unsent).
 */
import type { AgentEntry, ConnectionState, ConsoleClient, Frame, SiteInfo, TransferTarget, VisitorInfo } from '../../../src/tui/console-client.js';
import type { ChatMessage, Profile, RoomView } from '../../../src/tui/wire.js';

type Call = [string, ...unknown[]];

export class FakeClient implements ConsoleClient {
  readonly calls: Call[] = [];
  readonly #frames = new Set<(frame: Frame) => void>();
  readonly #states = new Set<(state: ConnectionState, detail?: string) => void>();
  site: SiteInfo = { departments: [{ _id: 'sales', name: 'Sales' }, { _id: 'support', name: 'Support' }], messageMaxLength: 200 };
  history: Record<string, ChatMessage[]> = {};
  /** Visitor details by room (absent: the lookup fails), and the agent list. */
  visitorInfo: Record<string, VisitorInfo> = {};
  directory: AgentEntry[] = [];
  /** Answers to requests; replace to make them fail or hang. */
  answer: {
    send: (rid: string, msg: string, clientMsgId: string) => Promise<Frame>;
    take: (rid: string) => Promise<Frame>;
    close: (rid: string, comment?: string) => Promise<Frame>;
    transfer: (rid: string, target: TransferTarget, comment?: string) => Promise<Frame>;
    setStatus: (status: string) => Promise<Frame>;
  };
  #seq = 100;

  constructor(readonly me: Profile) {
    this.answer = {
      send: async (rid, _msg, clientMsgId) => ({ type: 'ack', rid, clientMsgId, _id: clientMsgId, seq: ++this.#seq }),
      take: async (rid) => ({ type: 'result', room: { ...this.rooms[rid]!, status: 'served', servedBy: { _id: me.username, username: me.username } } }),
      close: async (rid) => ({ type: 'result', room: { ...this.rooms[rid]!, status: 'closed', open: false } }),
      transfer: async (rid, target) => ({ type: 'result', room: { ...this.rooms[rid]!, servedBy: { _id: 'x', username: 'agent' in target ? target.agent : 'someone' } } }),
      setStatus: async (status) => ({ type: 'result', user: { ...me, status } }),
    };
  }

  /** Rooms the default answers build on; tests register the rooms they emit. */
  rooms: Record<string, RoomView> = {};

  emit(frame: object): void {
    for (const listener of this.#frames) listener(frame as Frame);
  }

  setState(state: ConnectionState, detail?: string): void {
    for (const listener of this.#states) listener(state, detail);
  }

  named(method: string): Call[] {
    return this.calls.filter(([m]) => m === method);
  }

  connect(): Promise<Frame> {
    this.calls.push(['connect']);
    return new Promise(() => undefined);
  }

  on(listener: (frame: Frame) => void): () => void {
    this.#frames.add(listener);
    return () => this.#frames.delete(listener);
  }

  onState(listener: (state: ConnectionState, detail?: string) => void): () => void {
    this.#states.add(listener);
    return () => this.#states.delete(listener);
  }

  send(rid: string, msg: string, clientMsgId = 'generated'): Promise<Frame> {
    this.calls.push(['send', rid, msg, clientMsgId]);
    return this.answer.send(rid, msg, clientMsgId);
  }

  take(rid: string): Promise<Frame> {
    this.calls.push(['take', rid]);
    return this.answer.take(rid);
  }

  close(rid: string, comment?: string): Promise<Frame> {
    this.calls.push(['close', rid, comment]);
    return this.answer.close(rid, comment);
  }

  transfer(rid: string, target: TransferTarget, comment?: string): Promise<Frame> {
    this.calls.push(['transfer', rid, target, comment]);
    return this.answer.transfer(rid, target, comment);
  }

  setStatus(status: 'available' | 'away'): Promise<Frame> {
    this.calls.push(['setStatus', status]);
    return this.answer.setStatus(status);
  }

  typing(rid: string, typing: boolean): void {
    this.calls.push(['typing', rid, typing]);
  }

  async messages(rid: string, afterSeq = 0) {
    this.calls.push(['messages', rid, afterSeq]);
    return (this.history[rid] ?? []).filter((m) => m.seq > afterSeq);
  }

  async siteInfo(): Promise<SiteInfo> {
    return this.site;
  }

  async visitor(rid: string): Promise<VisitorInfo> {
    this.calls.push(['visitor', rid]);
    const info = this.visitorInfo[rid];
    if (!info) throw new Error('No such open room');
    return info;
  }

  async agents(): Promise<AgentEntry[]> {
    this.calls.push(['agents']);
    return this.directory;
  }

  async logout(): Promise<void> {
    this.calls.push(['logout']);
  }

  disconnect(): void {
    this.calls.push(['disconnect']);
  }
}
