/** `?`: every key, in the groups an agent thinks in. */
import { Box, Text } from 'ink';
import { HELP } from '../bindings.js';
import { fit } from '../wrap.js';
import { Dialog } from './Dialog.js';

export function HelpDialog({ width, height }: { width: number; height: number }) {
  const keyWidth = Math.max(...HELP.flatMap((s) => s.keys.map(([k]) => k.length))) + 2;
  return (
    <Dialog title="Keys — any key closes this" width={width} height={height}>
      {HELP.map((section) => (
        <Box key={section.title} flexDirection="column">
          <Text bold>{section.title}</Text>
          {section.keys.map(([keys, what]) => (
            <Text key={keys + what} wrap="truncate-end">
              {'  '}
              <Text color="cyan">{fit(keys, keyWidth)}</Text>
              <Text>{what}</Text>
            </Text>
          ))}
        </Box>
      ))}
    </Dialog>
  );
}
