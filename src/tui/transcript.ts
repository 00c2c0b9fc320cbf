/**
 * A chat as lines of a given width: `14:05 Ana: hello`, continuation lines indented under the text, system
 * events as quiet one-liners, a date rule when the day changes, and own messages not yet acknowledged at the end,
 * marked. The conversation pane draws a window of these lines; counting them here is what makes scrolling exact.
 */
import { clockTime } from './format.js';
import { cleanLine, cleanText } from './sanitize.js';
import { agentName, isFromVisitor } from './selectors.js';
import type { ConsoleState, Pending } from './state.js';
import type { ChatMessage, RoomView } from './wire.js';
import { stringWidth, wrap } from './wrap.js';

export interface Span {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
}
export type Line = Span[];

const INDENT = '      '; // under the text, past "14:05 "

export function transcriptLines(state: ConsoleState, rid: string, width: number): Line[] {
  const room = state.rooms[rid];
  const lines: Line[] = [];
  let day = new Date(state.now).toDateString();
  for (const message of state.messages[rid] ?? []) {
    if (message._hidden) continue;
    const messageDay = new Date(message.ts).toDateString();
    if (messageDay !== day) {
      lines.push([{ text: `── ${messageDay} ──`, dim: true }]);
      day = messageDay;
    }
    lines.push(...(message.t ? systemLines(state, message, width) : messageLines(state, room, message, width)));
  }
  for (const pending of state.pending[rid] ?? []) lines.push(...pendingLines(state, pending, width));
  return lines;
}

function authorOf(state: ConsoleState, room: RoomView | undefined, message: ChatMessage): { name: string; color: string } {
  if (message.u.username === state.me.username) return { name: 'You', color: 'green' };
  if (isFromVisitor(room, message)) return { name: cleanLine(message.u.name || room?.fname || message.u.username), color: 'cyan' };
  return { name: cleanLine(message.u.name || agentName(state, message.u.username)), color: 'magenta' };
}

function messageLines(state: ConsoleState, room: RoomView | undefined, message: ChatMessage, width: number): Line[] {
  const author = authorOf(state, room, message);
  const body = `${author.name}: ${cleanText(message.msg)}${message.editedAt ? ' (edited)' : ''}`;
  return wrap(body, width - INDENT.length).map((text, i) => {
    if (i > 0) return [{ text: INDENT }, { text }];
    const time: Span = { text: `${clockTime(message.ts)} `, dim: true };
    const nameWidth = author.name.length + 1;
    if (text.length < nameWidth) return [time, { text, color: author.color, bold: true }];
    return [time, { text: text.slice(0, nameWidth), color: author.color, bold: true }, { text: text.slice(nameWidth) }];
  });
}

function systemText(state: ConsoleState, message: ChatMessage): string {
  const who = cleanLine(message.u.name || agentName(state, message.u.username));
  const comment = cleanLine(message.msg || message.transferData?.comment);
  const withComment = (text: string) => (comment ? `${text}: “${comment}”` : text);
  switch (message.t) {
    case 'livechat-close':
      return withComment(`Chat closed by ${who}`);
    case 'livechat-started':
      return 'Chat started';
    case 'livechat_transfer_history': {
      const data = message.transferData ?? {};
      const by = cleanLine(data.transferredBy?.name || data.transferredBy?.username) || who;
      const target =
        data.scope === 'department'
          ? `department ${cleanLine(data.nextDepartment?.name)}`
          : data.scope === 'queue'
            ? 'the queue'
            : cleanLine(data.transferredTo?.name || data.transferredTo?.username);
      return `${by} transferred the chat to ${target}${data.comment ? `: “${cleanLine(data.comment)}”` : ''}`;
    }
    default:
      return withComment(cleanLine(message.t));
  }
}

function systemLines(state: ConsoleState, message: ChatMessage, width: number): Line[] {
  return wrap(`· ${systemText(state, message)}`, width - INDENT.length).map((text, i) => [
    { text: i === 0 ? `${clockTime(message.ts)} ` : INDENT, dim: true },
    { text, color: 'yellow', italic: true },
  ]);
}

function pendingLines(state: ConsoleState, pending: Pending, width: number): Line[] {
  const mark = pending.failed !== undefined ? `✗ not sent (${pending.failed}) Ctrl-R retry, Ctrl-X drop` : state.connection.state === 'open' ? '… sending' : '… waiting for the connection';
  const color = pending.failed !== undefined ? 'red' : 'gray';
  const text = wrap(`You: ${pending.msg}`, width - INDENT.length).map((t, i): Line => [{ text: i === 0 ? '  ⋯   ' : INDENT, color }, { text: t, dim: true }]);
  return [...text, [{ text: INDENT }, { text: mark, color, italic: true }]];
}

export const lineWidth = (line: Line) => line.reduce((w, span) => w + stringWidth(span.text), 0);
