/** `c`: close the selected chat, with a comment the visitor sees if one is written. */
import { Box, Text } from 'ink';
import { cleanLine } from '../sanitize.js';
import type { ConsoleState, Modal } from '../state.js';
import { Dialog } from './Dialog.js';
import { EditorView } from './EditorView.js';

type CloseModal = Extract<Modal, { kind: 'close' }>;

export function CloseDialog({ state, modal, width, height }: { state: ConsoleState; modal: CloseModal; width: number; height: number }) {
  const name = cleanLine(state.rooms[modal.rid]?.fname) || 'this visitor';
  return (
    <Dialog title={`Close the chat with ${name}`} width={width} height={height}>
      <Text>Comment (optional, shown to the visitor):</Text>
      <Box borderStyle="single" borderColor="gray" paddingX={1}>
        <EditorView editor={modal.comment} width={width - 8} lines={2} focused placeholder="e.g. Order #1234 refunded" />
      </Box>
      <Text dimColor>Enter closes the chat · Esc keeps it open</Text>
    </Dialog>
  );
}
