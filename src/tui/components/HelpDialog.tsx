/** `?`: every key, in the groups an agent thinks in, in as many columns as fit. */
import { Box, Text } from 'ink';
import { HELP } from '../bindings.js';
import { fit } from '../wrap.js';
import { Dialog } from './Dialog.js';

const KEY_WIDTH = Math.max(...HELP.flatMap((s) => s.keys.map(([k]) => k.length))) + 1;
const COLUMN = 38;

export function HelpDialog({ width, height }: { width: number; height: number }) {
  const inner = width - 4;
  const columns = Math.max(1, Math.min(HELP.length, Math.floor(inner / COLUMN)));
  const columnWidth = Math.floor(inner / columns);
  return (
    <Dialog title="Keys — any key closes this" width={width} height={height}>
      <Box flexDirection="row" flexWrap="wrap">
        {HELP.map((section) => (
          <Box key={section.title} flexDirection="column" width={columnWidth} marginBottom={1}>
            <Text bold>{section.title}</Text>
            {section.keys.map(([keys, what]) => (
              <Text key={keys + what} wrap="truncate-end">
                <Text color="cyan">{fit(keys, KEY_WIDTH)}</Text>
                <Text>{what}</Text>
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Dialog>
  );
}
