/** The bottom line: the last notice (until the next key), otherwise the keys that work right here. */
import { Box, Text } from 'ink';
import { footerHints } from '../bindings.js';
import type { ConsoleState } from '../state.js';

export function Footer({ state, width }: { state: ConsoleState; width: number }) {
  if (state.quitting) {
    return (
      <Box width={width} height={1} paddingX={1}>
        <Text dimColor>Logging out…</Text>
      </Box>
    );
  }
  if (state.notice) {
    return (
      <Box width={width} height={1} paddingX={1}>
        <Text wrap="truncate-end" color={state.notice.tone === 'error' ? 'red' : 'green'}>
          {state.notice.tone === 'error' ? '✗ ' : '✓ '}
          {state.notice.text}
        </Text>
      </Box>
    );
  }
  return (
    <Box width={width} height={1} paddingX={1}>
      <Text wrap="truncate-end">
        {footerHints(state).map(([key, label], i) => (
          <Text key={key + label}>
            {i > 0 ? <Text dimColor> · </Text> : null}
            <Text bold>{key}</Text>
            <Text dimColor> {label}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
