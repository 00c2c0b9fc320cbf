/**
 * The top line: their status, who is logged in where, the connection, how busy things are, and the config
 * generation. The right part always shows; the left is cut at its end when the terminal is narrow.
 */
import { Box, Text } from 'ink';
import { cleanLine } from '../sanitize.js';
import { listEntries } from '../selectors.js';
import type { ConsoleState } from '../state.js';

const CONNECTION: Record<ConsoleState['connection']['state'], { label: string; color: string }> = {
  connecting: { label: 'connecting…', color: 'yellow' },
  open: { label: 'connected', color: 'green' },
  reconnecting: { label: 'reconnecting…', color: 'yellow' },
  closed: { label: 'disconnected', color: 'red' },
};

export function Header({ state, width }: { state: ConsoleState; width: number }) {
  const { me } = state;
  const connection = CONNECTION[state.connection.state];
  const entries = listEntries(state);
  const queued = entries.filter((e) => e.section === 'queue').length;
  const mine = entries.filter((e) => e.section === 'mine').length;
  return (
    <Box width={width} height={1} paddingX={1}>
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="truncate-end">
          <Text bold color="cyan">
            livechat
          </Text>{' '}
          {/* Most important first: on an 80-column terminal the end (the server) is what gets cut. */}
          <Text color={me.status === 'available' ? 'green' : 'yellow'}>● {me.status}</Text>
          <Text> · {cleanLine(me.name)} </Text>
          <Text dimColor>({me.username}{me.role === 'manager' ? ', manager' : ''})</Text>
          <Text dimColor> · {state.server}</Text>
        </Text>
      </Box>
      <Box flexShrink={0} paddingLeft={1}>
        <Text>
          <Text dimColor>
            queue {queued} · mine {mine} ·{' '}
            {state.generation !== undefined && `gen ${state.generation} · `}
          </Text>
          <Text color={connection.color}>{connection.label}</Text>
        </Text>
      </Box>
    </Box>
  );
}
