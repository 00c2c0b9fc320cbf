/**
 * What the console asks of the daemon, and how each answer comes back as actions. This is the only place that
 * calls the client on the agent's behalf; the reducer stays pure and the keys (keys.ts) only name the effect.
 */
import { randomUUID } from 'node:crypto';
import type { Action } from './actions.js';
import type { ConsoleClient, Frame } from './console-client.js';
import { cleanLine } from './sanitize.js';
import type { ConsoleState, TransferOption } from './state.js';
import type { Profile, RoomView } from './wire.js';

export type Effect =
  | { type: 'take'; rid: string }
  | { type: 'send'; rid: string; msg: string }
  | { type: 'retry'; rid: string }
  | { type: 'close'; rid: string; comment: string }
  | { type: 'transfer'; rid: string; target: TransferOption; comment: string }
  | { type: 'status'; status: 'available' | 'away' }
  | { type: 'quit' };

type Dispatch = (action: Action) => void;

const reason = (err: unknown) => cleanLine(err instanceof Error ? err.message : String(err)) || 'failed';
const roomOf = (frame: Frame) => frame.room as RoomView;
const info = (text: string): Action => ({ type: 'notice', notice: { tone: 'info', text } });
const failure = (what: string, err: unknown): Action => ({ type: 'notice', notice: { tone: 'error', text: `${what}: ${reason(err)}` } });

/** Runs one effect; `quit` is the caller's (it owns the terminal), everything else is here. */
export async function runEffect(effect: Effect, client: ConsoleClient, dispatch: Dispatch, state: () => ConsoleState): Promise<void> {
  const name = (rid: string) => cleanLine(state().rooms[rid]?.fname) || 'the chat';
  switch (effect.type) {
    case 'take':
      try {
        dispatch({ type: 'room-result', room: roomOf(await client.take(effect.rid)) });
        dispatch({ type: 'select', rid: effect.rid });
        dispatch({ type: 'focus', pane: 'input' });
        dispatch(info(`You are now serving ${name(effect.rid)}`));
      } catch (err) {
        dispatch(failure('Could not take the chat', err));
      }
      return;
    case 'send':
      return send(client, dispatch, effect.rid, effect.msg, `tui-${randomUUID()}`);
    case 'retry':
      // The same client id again: if the first attempt did land, the server answers with it instead of a copy.
      for (const p of state().pending[effect.rid] ?? []) if (p.failed !== undefined) void send(client, dispatch, effect.rid, p.msg, p.clientMsgId);
      return;
    case 'close':
      try {
        dispatch({ type: 'room-result', room: roomOf(await client.close(effect.rid, effect.comment || undefined)) });
        dispatch(info(`Closed the chat with ${name(effect.rid)}`));
      } catch (err) {
        dispatch(failure('Could not close the chat', err));
      }
      return;
    case 'transfer': {
      const { target } = effect;
      const to = target.kind === 'agent' ? { agent: target.id } : { department: target.id };
      const who = name(effect.rid);
      try {
        dispatch({ type: 'room-result', room: roomOf(await client.transfer(effect.rid, to, effect.comment || undefined)) });
        dispatch(info(`Transferred ${who} to ${target.kind === 'department' ? `department ${target.label}` : target.label}`));
      } catch (err) {
        dispatch(failure('Could not transfer the chat', err));
      }
      return;
    }
    case 'status':
      try {
        dispatch({ type: 'profile', user: (await client.setStatus(effect.status)).user as Profile });
      } catch (err) {
        dispatch(failure('Could not change your status', err));
      }
      return;
    case 'quit':
      return;
  }
}

async function send(client: ConsoleClient, dispatch: Dispatch, rid: string, msg: string, clientMsgId: string): Promise<void> {
  dispatch({ type: 'send-started', rid, clientMsgId, msg });
  try {
    const ack = await client.send(rid, msg, clientMsgId);
    dispatch({ type: 'send-acked', rid, clientMsgId, _id: String(ack._id), seq: Number(ack.seq), ts: new Date().toISOString() });
  } catch (err) {
    dispatch({ type: 'send-failed', rid, clientMsgId, reason: reason(err) });
  }
}
