/** The reply box under the conversation: the draft of the selected chat, or why there is nothing to write here. */
import { Box } from 'ink';
import { canReply, canTake, selectedRoom } from '../selectors.js';
import { draftOf, type ConsoleState } from '../state.js';
import { EditorView } from './EditorView.js';

export function InputLine({ state, width, lines }: { state: ConsoleState; width: number; lines: number }) {
  const room = selectedRoom(state);
  const focused = state.focus === 'input' && state.modal === null;
  const placeholder = !room
    ? 'Select a chat to reply'
    : canReply(state, room)
      ? focused
        ? 'Write a reply — Enter sends, Alt+Enter adds a line'
        : 'Enter or Tab to write a reply'
      : canTake(room)
        ? 'Take this chat (Enter in the list) to reply'
        : room.status === 'closed'
          ? 'This chat is closed'
          : 'Only the serving agent writes here';
  return (
    <Box borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1} width={width} height={lines + 2} flexShrink={0}>
      <EditorView editor={draftOf(state, state.selected)} width={width - 4} lines={lines} focused={focused} placeholder={placeholder} />
    </Box>
  );
}
