/**
 * The right pane: who the chat is with and where it stands, then the conversation from the bottom up (scrolled
 * by PgUp/PgDn), then who is typing — or, when scrolled, how much newer text is below.
 */
import { Box, Text } from 'ink';
import { duration } from '../format.js';
import { cleanLine } from '../sanitize.js';
import { agentName, departmentName, isMine, listEntries, selectedRoom, waitingMs } from '../selectors.js';
import type { ConsoleState } from '../state.js';
import type { Line } from '../transcript.js';
import type { RoomView } from '../wire.js';
import { LineWindow } from './Lines.js';

interface Props {
  state: ConsoleState;
  lines: Line[];
  width: number;
  height: number;
  focused: boolean;
}

export function Conversation({ state, lines, width, height, focused }: Props) {
  const room = selectedRoom(state);
  const windowHeight = Math.max(1, height - 4);
  const scroll = Math.min(state.scroll, Math.max(0, lines.length - windowHeight));
  const end = lines.length - scroll;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1}>
      {room ? <Title state={state} room={room} /> : <Text> </Text>}
      {room ? <LineWindow lines={lines.slice(Math.max(0, end - windowHeight), end)} height={windowHeight} /> : <Welcome state={state} height={windowHeight} />}
      <StatusLine state={state} below={scroll} />
    </Box>
  );
}

function roomStatus(state: ConsoleState, room: RoomView): { text: string; color: string } {
  if (room.status === 'closed') return { text: 'closed', color: 'red' };
  if (room.status === 'queued') {
    const waited = waitingMs(state, room);
    return { text: `waiting in the queue${waited !== undefined ? ` ${duration(waited)}` : ''} — Enter takes it`, color: 'yellow' };
  }
  return isMine(state, room) ? { text: 'served by you', color: 'green' } : { text: `served by ${agentName(state, room.servedBy?.username)}`, color: 'magenta' };
}

function Title({ state, room }: { state: ConsoleState; room: RoomView }) {
  const status = roomStatus(state, room);
  const department = departmentName(state, room.departmentId);
  return (
    <Text wrap="truncate-end">
      <Text bold>{cleanLine(room.fname) || room.v.username}</Text>
      <Text dimColor>
        {department ? ` · ${cleanLine(department)}` : ''}
        {room.code !== undefined ? ` · #${room.code}` : ''} ·{' '}
      </Text>
      <Text color={status.color}>{status.text}</Text>
    </Text>
  );
}

function Welcome({ state, height }: { state: ConsoleState; height: number }) {
  const waiting = listEntries(state).filter((e) => e.section === 'queue').length;
  return (
    <Box height={height} flexDirection="column" justifyContent="center" alignItems="center">
      <Text dimColor>{waiting > 0 ? `${waiting} chat${waiting === 1 ? '' : 's'} waiting — select one on the left` : 'All quiet. A new chat rings the bell.'}</Text>
      <Text dimColor>Press ? for the keys.</Text>
    </Box>
  );
}

function StatusLine({ state, below }: { state: ConsoleState; below: number }) {
  if (below > 0) return <Text color="cyan">↓ {below} more line{below === 1 ? '' : 's'} below — End or G to jump back</Text>;
  const typing = Object.values((state.selected && state.typing[state.selected]) || {});
  if (typing.length === 0) return <Text> </Text>;
  return (
    <Text dimColor italic wrap="truncate-end">
      {typing.join(', ')} {typing.length === 1 ? 'is' : 'are'} typing…
    </Text>
  );
}
