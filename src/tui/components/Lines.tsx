/** Draws prepared lines (transcript.ts): one Ink line each, cut at the pane's edge rather than wrapped again. */
import { Box, Text } from 'ink';
import type { Line } from '../transcript.js';

export function SpanLine({ line }: { line: Line }) {
  return (
    <Text wrap="truncate-end">
      {line.length === 0
        ? ' '
        : line.map((span, i) => (
            <Text key={i} color={span.color} bold={span.bold} dimColor={span.dim} italic={span.italic}>
              {span.text}
            </Text>
          ))}
    </Text>
  );
}

export function LineWindow({ lines, height }: { lines: Line[]; height: number }) {
  const blank = Math.max(0, height - lines.length);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {Array.from({ length: blank }, (_, i) => (
        <Text key={`blank-${i}`}> </Text>
      ))}
      {lines.map((line, i) => (
        <SpanLine key={i} line={line} />
      ))}
    </Box>
  );
}
