/**
 * Frames from /ws/agent → state. The daemon decides who sees what; this keeps the console's picture in line with
 * it: rooms come and go, messages merge by seq, and anything new that the agent is not looking at raises an unread
 * marker and a bell.
 */
import { dropRoom, lastSeq, markSelectedRead, mergeMessages, reselect } from './bookkeeping.js';
import { agentName, isMine, staysVisible } from './selectors.js';
import type { ConsoleState } from './state.js';
import { cleanLine } from './sanitize.js';
import type { ChatMessage, ReadyFrame, RoomView, ServerFrame } from './wire.js';

export function reduceFrame(state: ConsoleState, frame: ServerFrame): ConsoleState {
  switch (frame.type) {
    case 'ready':
      return onReady(state, frame);
    case 'room.queued':
    case 'room.updated':
      return onRoom(state, frame.room);
    case 'room.assigned':
      return onRoom(state, frame.room, frame.previousAgent);
    case 'room.closed':
      return onClosed(state, frame.room);
    case 'message':
    case 'message.updated':
      return onMessage(state, frame.rid, frame.message);
    case 'message.deleted':
      return state.messages[frame.rid] ? { ...state, messages: { ...state.messages, [frame.rid]: state.messages[frame.rid]!.filter((m) => m._id !== frame._id) } } : state;
    case 'typing':
      return onTyping(state, frame.rid, frame.username, frame.typing ? cleanLine(frame.name) || frame.username : undefined);
    case 'error':
      return onError(state, frame.code, frame.message);
    case 'config.changed':
      return frame.generation === undefined ? state : { ...state, generation: frame.generation };
    default:
      return state;
  }
}

/**
 * The snapshot after (re)connecting. On the first one, everything already in a chat counts as read; after a
 * reconnect, chats that arrived meanwhile are news. The channel replays each room's messages after this.
 */
function onReady(state: ConsoleState, frame: ReadyFrame): ConsoleState {
  const first = !state.connection.ready;
  const rooms: Record<string, RoomView> = {};
  const readSeq = { ...state.readSeq };
  let fresh = 0;
  for (const { room, lastSeq: seq } of [...frame.rooms, ...frame.queue]) {
    rooms[room._id] = room;
    if (first) readSeq[room._id] = Math.max(readSeq[room._id] ?? 0, seq);
    else if (!state.rooms[room._id]) fresh += 1;
  }
  const selected = state.selected ? state.rooms[state.selected] : undefined;
  if (selected?.status === 'closed' && !rooms[selected._id]) rooms[selected._id] = selected;
  let next: ConsoleState = {
    ...state,
    me: frame.user,
    ...(frame.generation !== undefined && { generation: frame.generation }),
    agents: { ...state.agents, [frame.user.username]: frame.user.name },
    connection: { state: 'open', ready: true },
    readSeq,
    typing: {},
    bells: state.bells + (fresh > 0 ? 1 : 0),
  };
  for (const rid of Object.keys(state.rooms)) if (!rooms[rid]) next = dropRoom(next, rid);
  return reselect(state, markSelectedRead({ ...next, rooms }));
}

function onRoom(state: ConsoleState, room: RoomView, previousAgent?: string): ConsoleState {
  const known = state.rooms[room._id];
  const name = cleanLine(room.fname);
  if (!staysVisible(state, room)) {
    if (!known) return state;
    const gone = dropRoom(state, room._id);
    const withNotice =
      previousAgent === state.me.username && room.servedBy
        ? { ...gone, notice: { tone: 'info' as const, text: `${name} is now with ${agentName(state, room.servedBy.username)}` } }
        : gone;
    return reselect(state, withNotice);
  }
  let next: ConsoleState = { ...state, rooms: { ...state.rooms, [room._id]: room } };
  const newlyMine = isMine(state, room) && (!known || !isMine(state, known));
  if (!known || (newlyMine && state.selected !== room._id)) next.bells += 1;
  if (!known) {
    next.readSeq = { ...next.readSeq, [room._id]: next.readSeq[room._id] ?? 0 };
    if (room.msgs > lastSeq(state, room._id)) next.historyWanted = { ...next.historyWanted, [room._id]: true };
  }
  if (newlyMine && previousAgent && previousAgent !== state.me.username) {
    next.notice = { tone: 'info', text: `${name} was transferred to you from ${agentName(state, previousAgent)}` };
  }
  return reselect(state, markSelectedRead(next));
}

/** A closed chat that is on screen stays there, marked closed, until the agent moves on. */
function onClosed(state: ConsoleState, room: RoomView): ConsoleState {
  if (!state.rooms[room._id]) return state;
  const unsent = (state.pending[room._id] ?? []).map((p) => ({ ...p, failed: p.failed ?? 'the chat is closed' }));
  const closed: ConsoleState = { ...state, rooms: { ...state.rooms, [room._id]: room }, pending: { ...state.pending, [room._id]: unsent } };
  if (state.selected === room._id) {
    const byVisitor = room.closer === 'visitor';
    return {
      ...closed,
      focus: state.focus === 'input' ? 'list' : state.focus,
      typing: { ...state.typing, [room._id]: {} },
      ...(byVisitor && { notice: { tone: 'info' as const, text: `${cleanLine(room.fname)} closed the chat` } }),
    };
  }
  return reselect(state, dropRoom(closed, room._id));
}

function onMessage(state: ConsoleState, rid: string, message: ChatMessage): ConsoleState {
  // Messages of rooms this console does not show (yet) are skipped: when the room arrives, its history is fetched.
  if (!state.rooms[rid]) return state;
  let next = mergeMessages(state, rid, [message]);
  const typing = state.typing[rid];
  if (typing && message.u.username in typing) {
    const { [message.u.username]: _done, ...rest } = typing;
    next = { ...next, typing: { ...next.typing, [rid]: rest } };
  }
  if (rid === state.selected) return markSelectedRead(next);
  const isNews = message.seq > (state.readSeq[rid] ?? 0) && message.u.username !== state.me.username && !message._hidden;
  return isNews ? { ...next, bells: next.bells + 1 } : next;
}

function onTyping(state: ConsoleState, rid: string, username: string, name: string | undefined): ConsoleState {
  if (username === state.me.username || !state.rooms[rid]) return state;
  const { [username]: _old, ...others } = state.typing[rid] ?? {};
  return { ...state, typing: { ...state.typing, [rid]: name === undefined ? others : { ...others, [username]: name } } };
}

/**
 * An error frame nobody asked about (answers to requests, sends included, settle their own promises: the server
 * echoes the request's id or clientMsgId). It is shown as a notice.
 */
function onError(state: ConsoleState, code: string, message: string): ConsoleState {
  return { ...state, notice: { tone: 'error' as const, text: cleanLine(message) || code } };
}
