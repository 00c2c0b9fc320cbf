/**
 * The left pane: the queue (what I may take), my chats, and for managers everyone else's, each as two lines —
 * visitor and unread count, then department and how long they have been waiting. Scrolls to keep the selection
 * in view.
 */
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { duration } from '../format.js';
import { cleanLine } from '../sanitize.js';
import { agentName, departmentName, listEntries, SECTION_TITLES, type ListEntry } from '../selectors.js';
import type { ConsoleState } from '../state.js';
import { fit, stringWidth } from '../wrap.js';

interface Row {
  key: string;
  rid?: string;
  node: ReactElement;
}

export function ChatList({ state, width, height, focused }: { state: ConsoleState; width: number; height: number; focused: boolean }) {
  const inner = width - 4;
  const rows = buildRows(state, inner);
  const visible = windowAround(rows, state.selected, height - 2);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1} flexShrink={0}>
      {visible.length === 0 ? <Empty state={state} /> : visible.map((row) => <Box key={row.key}>{row.node}</Box>)}
    </Box>
  );
}

function Empty({ state }: { state: ConsoleState }) {
  if (!state.connection.ready) return <Text dimColor>Loading chats…</Text>;
  return (
    <Text dimColor wrap="wrap">
      No chats. New ones appear here{state.me.status === 'away' ? ' — you are away: press s to take chats' : ''}.
    </Text>
  );
}

function buildRows(state: ConsoleState, width: number): Row[] {
  const rows: Row[] = [];
  let section = '';
  const entries = listEntries(state);
  for (const entry of entries) {
    if (entry.section !== section) {
      section = entry.section;
      const count = entries.filter((e) => e.section === entry.section).length;
      rows.push({ key: `h-${section}`, node: <Text bold dimColor>{fit(`${SECTION_TITLES[entry.section].toUpperCase()} ${count}`, width)}</Text> });
    }
    rows.push(...entryRows(state, entry, width));
  }
  return rows;
}

function entryRows(state: ConsoleState, entry: ListEntry, width: number): Row[] {
  const selected = entry.rid === state.selected;
  const badge = entry.unread > 0 ? ` ●${entry.unread}` : '';
  const name = fit(`${selected ? '›' : ' '} ${cleanLine(entry.room.fname) || entry.room.v.username}`, width - stringWidth(badge));
  // The waiting time first: on a narrow list it is what must not be cut off.
  const details = [
    entry.waitingMs !== undefined ? `waits ${duration(entry.waitingMs)}` : '',
    entry.section === 'closed' ? 'closed' : '',
    departmentName(state, entry.room.departmentId) || 'no department',
    entry.section === 'others' ? agentName(state, entry.room.servedBy?.username) : '',
  ].filter(Boolean);
  const color = selected ? 'cyan' : undefined;
  return [
    {
      key: `${entry.rid}-1`,
      rid: entry.rid,
      node: (
        <Text>
          <Text color={color} bold={selected || entry.unread > 0}>
            {name}
          </Text>
          <Text color="yellow" bold>
            {badge}
          </Text>
        </Text>
      ),
    },
    { key: `${entry.rid}-2`, rid: entry.rid, node: <Text dimColor>{fit(`   ${cleanLine(details.join(' · '))}`, width)}</Text> },
  ];
}

/** The rows that fit, chosen so the selected entry (both its lines) is on screen. */
function windowAround(rows: Row[], selected: string | null, height: number): Row[] {
  if (rows.length <= height) return rows;
  const last = selected ? rows.findLastIndex((r) => r.rid === selected) : -1;
  const end = Math.max(height, last + 1);
  return rows.slice(end - height, end);
}
