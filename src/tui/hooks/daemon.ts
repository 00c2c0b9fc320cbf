/**
 * The console's wiring to the daemon, as hooks: open the channel and feed its frames and connection states to the
 * store, fetch the history of rooms that appear while connected, and tell the visitor when the agent is typing.
 */
import { useEffect, useRef } from 'react';
import type { ConsoleClient } from '../console-client.js';
import { cleanLine } from '../sanitize.js';
import type { Store } from '../store.js';
import type { ChatMessage, ServerFrame } from '../wire.js';

export function useConnection(client: ConsoleClient, store: Store): void {
  useEffect(() => {
    const loadSite = () =>
      client.siteInfo().then(
        (site) => store.dispatch({ type: 'site', departments: site.departments, ...(site.messageMaxLength !== undefined && { messageMaxLength: site.messageMaxLength }) }),
        () => undefined, // department names are a nicety: ids still work
      );
    const ready = client.connect();
    const offFrames = client.on((frame) => {
      if (frame.type === 'config.changed') void loadSite();
      store.dispatch({ type: 'frame', frame: frame as unknown as ServerFrame });
    });
    const offState = client.onState((state, detail) => store.dispatch({ type: 'connection', state, ...(detail !== undefined && { detail }) }));
    ready.catch((err: Error) => store.dispatch({ type: 'connection', state: 'closed', detail: cleanLine(err.message) }));
    void loadSite();
    return () => {
      offFrames();
      offState();
    };
  }, [client, store]);
}

export function useHistory(client: ConsoleClient, store: Store, wanted: Record<string, true>): void {
  const inFlight = useRef(new Set<string>());
  useEffect(() => {
    for (const rid of Object.keys(wanted)) {
      if (inFlight.current.has(rid)) continue;
      inFlight.current.add(rid);
      client
        .messages(rid)
        .then(
          (messages) => store.dispatch({ type: 'history', rid, messages: messages as ChatMessage[] }),
          (err: Error) => {
            // Live messages still come; say that the earlier ones are missing rather than pretend there were none.
            store.dispatch({ type: 'history', rid, messages: [] });
            if (store.getState().rooms[rid]) store.dispatch({ type: 'notice', notice: { tone: 'error', text: `Could not load earlier messages: ${cleanLine(err.message)}` } });
          },
        )
        .finally(() => inFlight.current.delete(rid));
    }
  }, [client, store, wanted]);
}

/**
 * The selected room's visitor details, fetched while the visitor pane shows them, and again when `version` changes
 * (a page visited, a custom field set, a transfer to another department).
 */
export function useVisitorInfo(client: ConsoleClient, store: Store, rid: string | null, shown: boolean, version: string): void {
  useEffect(() => {
    if (!rid || !shown) return;
    let current = true;
    client.visitor(rid).then(
      (info) => current && store.dispatch({ type: 'visitor', rid, lookup: { info } }),
      (err: Error) => current && store.dispatch({ type: 'visitor', rid, lookup: { error: cleanLine(err.message) || 'failed' } }),
    );
    return () => {
      current = false;
    };
  }, [client, store, rid, shown, version]);
}

/** The agent list for the transfer picker, fetched each time the picker opens (statuses change). */
export function useDirectory(client: ConsoleClient, store: Store, pickerOpen: boolean): void {
  useEffect(() => {
    if (!pickerOpen) return;
    client.agents().then(
      (agents) => store.dispatch({ type: 'directory', agents }),
      () => undefined, // the picker falls back to the agents the console has heard of, and typed usernames
    );
  }, [client, store, pickerOpen]);
}

const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 5_000;

/**
 * Typing on while the draft changes (repeated now and then), off after a pause, a send, or a switch to another
 * chat of mine. `rid` is null when the agent may not type in the selected chat (not theirs, closed): the server
 * refuses typing there, and a chat that just closed or moved away needs no "stopped typing".
 */
export function useTypingNotice(client: ConsoleClient, rid: string | null, text: string): void {
  const typing = useRef<{ rid: string; at: number } | null>(null);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const notify = (room: string, on: boolean) => {
    try {
      client.typing(room, on);
    } catch {
      // not connected: typing is not worth a queue
    }
  };
  const stop = (tell: boolean) => {
    clearTimeout(idle.current);
    if (typing.current && tell) notify(typing.current.rid, false);
    typing.current = null;
  };
  useEffect(() => {
    if (!rid) return stop(false);
    if (typing.current && typing.current.rid !== rid) stop(true);
    if (text === '') return stop(true);
    const now = Date.now();
    if (!typing.current || now - typing.current.at > TYPING_REPEAT_MS) {
      notify(rid, true);
      typing.current = { rid, at: now };
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(() => stop(true), TYPING_IDLE_MS);
  }, [rid, text]);
  useEffect(() => () => stop(false), []);
}
