/**
 * Who the visitor is, as far as the daemon tells agents: name, status, department, the chat's number and start,
 * the room's custom fields, and the pages they visited. Every value is visitor-supplied and sanitized. What the
 * agent API does not carry yet (e-mail, browser and OS) is named as missing rather than left out silently.
 */
import { Box, Text } from 'ink';
import { dateTime } from '../format.js';
import { cleanLine } from '../sanitize.js';
import { agentName, departmentName, selectedRoom } from '../selectors.js';
import type { ConsoleState } from '../state.js';
import { fit, truncate } from '../wrap.js';

const LABEL = 11;

export function VisitorPane({ state, width, height }: { state: ConsoleState; width: number; height: number }) {
  const room = selectedRoom(state);
  const inner = width - 4;
  const field = (label: string, value: string | undefined, color?: string) => (
    <Text key={label} wrap="truncate-end">
      <Text dimColor>{fit(label, LABEL)}</Text>
      <Text color={color}>{truncate(value || '—', inner - LABEL)}</Text>
    </Text>
  );
  const pages = room
    ? (state.messages[room._id] ?? [])
        .filter((m) => m.t === 'livechat_navigation_history')
        .map((m) => cleanLine(m.navigation?.page?.title || m.navigation?.page?.location?.href || m.msg))
    : [];
  const custom = Object.entries(room?.livechatData ?? {});
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="gray" paddingX={1} overflow="hidden" flexShrink={0}>
      <Text bold>Visitor</Text>
      {!room ? (
        <Text dimColor>No chat selected.</Text>
      ) : (
        <>
          {field('Name', cleanLine(room.fname || room.v.name))}
          {field('Username', cleanLine(room.v.username))}
          {field('Status', cleanLine(room.v.status), room.v.status === 'online' ? 'green' : undefined)}
          {field('Department', cleanLine(departmentName(state, room.departmentId)))}
          {field('Chat', `#${room.code ?? '?'} since ${dateTime(room.queuedAt ?? room.ts)}`)}
          {room.servedBy && field('Served by', cleanLine(agentName(state, room.servedBy.username)))}
          {custom.length > 0 && <Text dimColor>{'─'.repeat(Math.max(0, Math.min(inner, 20)))}</Text>}
          {custom.map(([key, value]) => field(truncate(cleanLine(key), LABEL - 1), cleanLine(value)))}
          <Text dimColor>{'─'.repeat(Math.max(0, Math.min(inner, 20)))}</Text>
          {pages.length > 0 ? (
            <>
              <Text dimColor>Pages visited</Text>
              {pages.slice(-5).map((page, i) => (
                <Text key={i} wrap="truncate-end">
                  {' '}
                  {truncate(page, inner - 1)}
                </Text>
              ))}
            </>
          ) : (
            field('Pages', '')
          )}
          {field('E-mail', '')}
          {field('Browser/OS', '')}
          <Text dimColor wrap="truncate-end">
            (e-mail, browser: not sent to agents yet)
          </Text>
        </>
      )}
    </Box>
  );
}
