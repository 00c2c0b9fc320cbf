/**
 * An editor's text as it is being typed: hard-wrapped at the width (so the cursor maps exactly onto the screen),
 * showing the last lines around the cursor, with the cursor drawn as an inverse cell when focused.
 */
import { Box, Text } from 'ink';
import type { Editor } from '../editor.js';
import { stringWidth } from '../wrap.js';

interface Props {
  editor: Editor;
  width: number;
  lines: number;
  focused: boolean;
  placeholder: string;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Lines as [start, end) offsets into the text. */
function layoutLines(text: string, width: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let used = 0;
  let offset = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (segment === '\n') {
      out.push([start, offset]);
      start = offset + 1;
      used = 0;
    } else {
      const w = stringWidth(segment);
      if (used + w > width) {
        out.push([start, offset]);
        start = offset;
        used = 0;
      }
      used += w;
    }
    offset += segment.length;
  }
  out.push([start, text.length]);
  return out;
}

export function EditorView({ editor, width, lines, focused, placeholder }: Props) {
  if (editor.text === '') {
    return (
      <Box height={lines} flexDirection="column">
        <Text wrap="truncate-end">
          {focused ? <Text inverse> </Text> : null}
          <Text dimColor>{placeholder}</Text>
        </Text>
      </Box>
    );
  }
  const all = layoutLines(editor.text, Math.max(1, width - 1));
  // The cursor belongs to the last line that starts at or before it.
  const cursorLine = all.findLastIndex(([start]) => start <= editor.cursor);
  const first = Math.max(0, Math.min(cursorLine - lines + 1, all.length - lines));
  return (
    <Box height={lines} flexDirection="column">
      {all.slice(first, first + lines).map(([start, end], i) => {
        const text = editor.text.slice(start, end);
        if (!focused || first + i !== cursorLine) return <Text key={i}>{text || ' '}</Text>;
        const at = editor.cursor - start;
        const under = [...segmenter.segment(text.slice(at))][0]?.segment ?? ' ';
        return (
          <Text key={i}>
            {text.slice(0, at)}
            <Text inverse>{under}</Text>
            {text.slice(at + (under === ' ' && at >= text.length ? 0 : under.length))}
          </Text>
        );
      })}
    </Box>
  );
}
