/** The frame the dialogs share: it takes the conversation pane's place, so the list stays in view. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

export function Dialog({ title, width, height, children }: { title: string; width: number; height: number; children: ReactNode }) {
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1} overflow="hidden">
      <Text bold color="cyan">
        {title}
      </Text>
      <Text> </Text>
      {children}
    </Box>
  );
}
