/**
 * Who the visitor is, as far as the daemon tells agents: name, e-mail, status, department, the chat's number and
 * start, custom fields with their labels, browser and OS, and the pages they visited. The details come from
 * `GET /api/v1/agent/rooms/:rid/visitor` (fetched while this pane shows); until they arrive, what the room itself
 * carries is shown. Every value is visitor-supplied and sanitized.
 */
import { Box, Text } from 'ink';
import { dateTime } from '../format.js';
import { cleanLine } from '../sanitize.js';
import { agentName, departmentName, selectedRoom } from '../selectors.js';
import type { ConsoleState } from '../state.js';
import { fit, truncate } from '../wrap.js';

const LABEL = 11;
const PAGES_SHOWN = 5;

export function VisitorPane({ state, width, height }: { state: ConsoleState; width: number; height: number }) {
  const room = selectedRoom(state);
  const inner = width - 4;
  const field = (label: string, value: string | undefined, color?: string) => (
    <Text key={label} wrap="truncate-end">
      <Text dimColor>{fit(label, LABEL)}</Text>
      <Text color={color}>{truncate(value || '—', inner - LABEL)}</Text>
    </Text>
  );
  const rule = <Text dimColor>{'─'.repeat(Math.max(0, Math.min(inner, 20)))}</Text>;
  if (!room) {
    return (
      <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="gray" paddingX={1} overflow="hidden" flexShrink={0}>
        <Text bold>Visitor</Text>
        <Text dimColor>No chat selected.</Text>
      </Box>
    );
  }
  const lookup = state.visitors[room._id];
  const info = lookup && 'info' in lookup ? lookup.info : undefined;
  const visitor = info?.visitor;
  // Until the details arrive: the room's own custom fields (by key) and navigation messages.
  const custom: [string, string][] = visitor
    ? visitor.customFields.map((f) => [cleanLine(f.label) || cleanLine(f.id), cleanLine(f.value)])
    : Object.entries(room.livechatData ?? {}).map(([key, value]) => [cleanLine(key), cleanLine(value)]);
  const pages = info
    ? info.pages.map((p) => cleanLine(p.title) || cleanLine(p.href))
    : (state.messages[room._id] ?? [])
        .filter((m) => m.t === 'livechat_navigation_history')
        .map((m) => cleanLine(m.navigation?.page?.title || m.navigation?.page?.location?.href || m.msg));
  const department = visitor?.department ? cleanLine(visitor.department.name) : cleanLine(departmentName(state, room.departmentId));
  const browserOs = [visitor?.browser, visitor?.os].map(cleanLine).filter((s) => s !== '').join(' · ');
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="gray" paddingX={1} overflow="hidden" flexShrink={0}>
      <Text bold>Visitor</Text>
      {field('Name', cleanLine(visitor?.name || room.fname || room.v.name))}
      {field('Username', cleanLine(room.v.username))}
      {field('E-mail', cleanLine(visitor?.email))}
      {visitor?.phone !== undefined && field('Phone', cleanLine(visitor.phone))}
      {field('Status', cleanLine(room.v.status), room.v.status === 'online' ? 'green' : undefined)}
      {field('Department', department)}
      {field('Chat', `#${room.code ?? '?'} since ${dateTime(room.queuedAt ?? room.ts)}`)}
      {room.servedBy && field('Served by', cleanLine(agentName(state, room.servedBy.username)))}
      {field('Browser/OS', browserOs)}
      {custom.length > 0 && rule}
      {custom.map(([label, value], i) => (
        <Text key={`cf-${i}`} wrap="truncate-end">
          <Text dimColor>{fit(truncate(label, LABEL - 1), LABEL)}</Text>
          {truncate(value || '—', inner - LABEL)}
        </Text>
      ))}
      {rule}
      {pages.length > 0 ? (
        <>
          <Text dimColor>Pages visited{pages.length > PAGES_SHOWN ? ` (last ${PAGES_SHOWN} of ${pages.length})` : ''}</Text>
          {pages.slice(-PAGES_SHOWN).map((page, i) => (
            <Text key={i} wrap="truncate-end">
              {' '}
              {truncate(page, inner - 1)}
            </Text>
          ))}
        </>
      ) : (
        field('Pages', '')
      )}
      {lookup && 'error' in lookup && (
        <Text color="yellow" wrap="wrap">
          Details unavailable: {truncate(lookup.error, inner * 2)}
        </Text>
      )}
    </Box>
  );
}
