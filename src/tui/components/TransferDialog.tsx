/**
 * `t`: first pick where the chat goes — an agent (with their status and departments) or a department, narrowed by
 * typing (a username the list does not have can be typed in full) — then an optional comment for whoever receives it.
 */
import { Box, Text } from 'ink';
import { cleanLine } from '../sanitize.js';
import { departmentName, transferOptions } from '../selectors.js';
import type { ConsoleState, Modal, TransferOption } from '../state.js';
import { Dialog } from './Dialog.js';
import { EditorView } from './EditorView.js';

type PickModal = Extract<Modal, { kind: 'transfer' }>;
type CommentModal = Extract<Modal, { kind: 'transfer-comment' }>;

const describe = (o: TransferOption) => (o.kind === 'agent' ? `agent ${cleanLine(o.label)}${o.label !== o.id ? ` (${o.id})` : ''}` : `department ${cleanLine(o.label)}`);

const STATUS_COLOR: Record<string, string> = { available: 'green', away: 'yellow', offline: 'gray' };

/** After an agent: their status and departments, when the daemon's agent list has them. */
function AgentDetails({ state, option }: { state: ConsoleState; option: TransferOption }) {
  if (option.kind !== 'agent' || option.status === undefined) return null;
  const departments = (option.departments ?? []).map((id) => cleanLine(departmentName(state, id))).join(', ');
  return (
    <>
      <Text color={STATUS_COLOR[option.status]}> ● {option.status}</Text>
      {departments !== '' && <Text dimColor> · {departments}</Text>}
    </>
  );
}

export function TransferDialog({ state, modal, width, height }: { state: ConsoleState; modal: PickModal | CommentModal; width: number; height: number }) {
  const name = cleanLine(state.rooms[modal.rid]?.fname) || 'this chat';
  if (modal.kind === 'transfer-comment') {
    return (
      <Dialog title={`Transfer ${name} to ${describe(modal.target)}`} width={width} height={height}>
        <Text>Comment for them (optional):</Text>
        <Box borderStyle="single" borderColor="gray" paddingX={1}>
          <EditorView editor={modal.comment} width={width - 8} lines={2} focused placeholder="e.g. wants a refund, order #1234" />
        </Box>
        <Text dimColor>Enter transfers · Esc goes back</Text>
      </Dialog>
    );
  }
  const options = transferOptions(state, modal.rid, modal.filter.text);
  const room = Math.max(1, height - 8);
  const first = Math.max(0, Math.min(modal.index - room + 1, options.length - room));
  return (
    <Dialog title={`Transfer ${name} to…`} width={width} height={height}>
      <Box borderStyle="single" borderColor="gray" paddingX={1}>
        <EditorView editor={modal.filter} width={width - 8} lines={1} focused placeholder="type to filter, or an agent's username" />
      </Box>
      {options.length === 0 ? (
        <Text dimColor>Nothing matches. Type an agent's username.</Text>
      ) : (
        options.slice(first, first + room).map((option, i) => {
          const chosen = first + i === modal.index;
          return (
            <Text key={`${option.kind}-${option.id}`} color={chosen ? 'cyan' : undefined} bold={chosen} wrap="truncate-end">
              {chosen ? '› ' : '  '}
              {describe(option)}
              <AgentDetails state={state} option={option} />
            </Text>
          );
        })
      )}
    </Dialog>
  );
}
