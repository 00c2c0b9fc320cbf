/**
 * The agent console: header, list, conversation (or a dialog), visitor details, input, footer. The state lives in
 * a store reduced by pure functions; keys become actions and effects (keys.ts); effects call the daemon
 * (effects.ts). This component only wires those together and lays them out.
 */
import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Banner } from './components/Banner.js';
import { ChatList } from './components/ChatList.js';
import { CloseDialog } from './components/CloseDialog.js';
import { Conversation } from './components/Conversation.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpDialog } from './components/HelpDialog.js';
import { InputLine } from './components/InputLine.js';
import { QuitDialog } from './components/QuitDialog.js';
import { TransferDialog } from './components/TransferDialog.js';
import { VisitorPane } from './components/VisitorPane.js';
import type { ConsoleClient } from './console-client.js';
import { runEffect } from './effects.js';
import { useConnection, useDirectory, useHistory, useTypingNotice, useVisitorInfo } from './hooks/daemon.js';
import { useBell, useClock, useTerminalSize, type Size } from './hooks/terminal.js';
import { handleKey, splitChunk, takesText, type Key } from './keys.js';
import { computeLayout, MIN_COLUMNS, MIN_ROWS, tooSmall, type Layout } from './layout.js';
import { isMine, selectedRoom } from './selectors.js';
import { draftOf, initialState, type ConsoleState } from './state.js';
import { createStore } from './store.js';
import { transcriptLines, type Line } from './transcript.js';
import type { Profile } from './wire.js';

export interface AppProps {
  client: ConsoleClient;
  server: string;
  me: Profile;
  /** The terminal bell; leave out for silence. */
  ring?: () => void;
  /** A fixed size instead of the terminal's (tests). */
  size?: Size;
  /** Lets the caller ask for a clean quit (signals); the app calls back with its quit function. */
  onQuitHandle?: (quit: () => void) => void;
}

const LOGOUT_WAIT_MS = 2_000;

export function App({ client, server, me, ring, size: fixedSize, onQuitHandle }: AppProps) {
  const { exit } = useApp();
  const size = useTerminalSize(fixedSize);
  const [store] = useState(() => createStore(initialState({ server, me, now: Date.now(), showVisitor: size.columns >= 120 })));
  const state = useSyncExternalStore(store.subscribe, store.getState);
  useConnection(client, store);
  useHistory(client, store, state.historyWanted);
  useClock(store);
  useBell(state.bells, ring);
  const room = selectedRoom(state);
  useTypingNotice(client, room && isMine(state, room) && room.status !== 'closed' ? room._id : null, draftOf(state, state.selected).text);

  const layout = computeLayout(state, size.columns, size.rows);
  useVisitorInfo(client, store, state.selected, layout.visitorWidth > 0 || layout.visitorInPlace, visitorVersion(state));
  useDirectory(client, store, state.modal?.kind === 'transfer');
  const lines = useTranscript(state, layout.textWidth);

  const [quit] = useState(() => async () => {
    if (store.getState().quitting) return;
    store.dispatch({ type: 'quitting' });
    await Promise.race([client.logout().catch(() => undefined), new Promise((r) => setTimeout(r, LOGOUT_WAIT_MS).unref())]);
    client.disconnect();
    exit();
  });
  useEffect(() => onQuitHandle?.(() => void quit()), [onQuitHandle, quit]);

  useInput((input, key) => {
    const view = { page: Math.max(1, layout.transcriptHeight - 1), maxScroll: Math.max(0, lines.length - layout.transcriptHeight) };
    const press = (text: string, k: Key) => {
      const { actions, effects } = handleKey(store.getState(), text, k, view);
      for (const action of actions) store.dispatch(action);
      for (const effect of effects) {
        if (effect.type === 'quit') void quit();
        else void runEffect(effect, client, store.dispatch, store.getState);
      }
    };
    for (const [part, partKey] of splitChunk(input, key)) {
      // Commands typed fast can arrive as one chunk ("jj", "cThanks"): each letter is a command until one of them
      // opens a text field, which then takes the rest.
      let rest = part;
      while (rest.length > 1 && !takesText(store.getState()) && !partKey.ctrl && !partKey.meta) {
        const first = [...rest][0]!;
        press(first, {});
        rest = rest.slice(first.length);
      }
      press(rest, partKey);
    }
  });

  if (tooSmall(size.columns, size.rows)) {
    return <Text color="yellow">Make the terminal at least {MIN_COLUMNS}×{MIN_ROWS} (now {size.columns}×{size.rows}). q quits.</Text>;
  }
  return (
    <Box flexDirection="column" width={layout.columns} height={layout.height}>
      <Header state={state} width={layout.columns} />
      {layout.banner && <Banner state={state} width={layout.columns} />}
      {state.modal?.kind === 'help' ? (
        <HelpDialog width={layout.columns} height={layout.bodyHeight} />
      ) : (
        <Box height={layout.bodyHeight}>
          <ChatList state={state} width={layout.listWidth} height={layout.bodyHeight} focused={state.focus === 'list' && !state.modal} />
          <Box flexDirection="column" width={layout.mainWidth}>
            <Main state={state} layout={layout} lines={lines} />
            <InputLine state={state} width={layout.mainWidth} lines={layout.inputLines} />
          </Box>
          {layout.visitorWidth > 0 && <VisitorPane state={state} width={layout.visitorWidth} height={layout.bodyHeight} />}
        </Box>
      )}
      <Footer state={state} width={layout.columns} />
    </Box>
  );
}

/** The right-hand pane: a dialog when one is open (help takes the whole body instead), else the visitor details (narrow terminals) or the chat. */
function Main({ state, layout, lines }: { state: ConsoleState; layout: Layout; lines: Line[] }) {
  const box = { width: layout.mainWidth, height: layout.conversationHeight };
  const modal = state.modal;
  if (modal?.kind === 'close') return <CloseDialog state={state} modal={modal} {...box} />;
  if (modal?.kind === 'transfer' || modal?.kind === 'transfer-comment') return <TransferDialog state={state} modal={modal} {...box} />;
  if (modal?.kind === 'quit') return <QuitDialog unsent={modal.unsent} {...box} />;
  if (layout.visitorInPlace) return <VisitorPane state={state} {...box} />;
  return <Conversation state={state} lines={lines} focused={state.focus === 'conversation'} {...box} />;
}

/** What changes the selected room's visitor details: pages visited (navigation messages), custom fields, department. */
function visitorVersion(state: ConsoleState): string {
  const room = selectedRoom(state);
  if (!room) return '';
  const pages = (state.messages[room._id] ?? []).filter((m) => m.t === 'livechat_navigation_history').length;
  return `${pages}|${room.departmentId ?? ''}|${JSON.stringify(room.livechatData ?? {})}`;
}

/** The selected chat as lines, recomputed only when something it shows changed. */
function useTranscript(state: ConsoleState, width: number): Line[] {
  const rid = state.selected;
  return useMemo(
    () => (rid ? transcriptLines(state, rid, width) : []),
    // Exactly the parts of the state the transcript reads.
    [rid, width, rid && state.messages[rid], rid && state.pending[rid], rid && state.rooms[rid], state.agents, state.connection.state, state.me],
  );
}
