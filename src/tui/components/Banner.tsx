/** A line under the header while the connection is not open: what happened and what the console does about it. */
import { Box, Text } from 'ink';
import { cleanLine } from '../sanitize.js';
import type { ConsoleState } from '../state.js';

export function Banner({ state, width }: { state: ConsoleState; width: number }) {
  const { connection } = state;
  const detail = connection.detail ? ` (${cleanLine(connection.detail)})` : '';
  const text =
    connection.state === 'closed'
      ? `✗ Disconnected${detail}. Press q to quit, then log in again.`
      : connection.state === 'reconnecting'
        ? `⚠ Connection lost${detail}, reconnecting… Replies wait and go out when it is back.`
        : `Connecting to ${state.server}…`;
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end" inverse color={connection.state === 'closed' ? 'red' : 'yellow'}>
        {` ${text}`.padEnd(width)}
      </Text>
    </Box>
  );
}
