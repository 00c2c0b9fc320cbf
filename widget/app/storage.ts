/**
 * The visitor's state in the app's own localStorage (the server's origin; browsers partition it per embedding
 * site). When the browser blocks storage, everything lives in memory: the chat works until the page goes away,
 * and `storageBlocked` lets the UI say so.
 */
const KEY = 'livechatd';

export interface Saved {
  /** The visitor's token: the only credential of the visitor. */
  token?: string;
  /** The room of the chat in progress, to tell "finished while you were away" from "never started". */
  rid?: string;
}

let data: Saved = {};
export let storageBlocked = false;

try {
  data = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Saved;
  localStorage.setItem(KEY, JSON.stringify(data)); // reading may work where writing does not
} catch {
  storageBlocked = true;
}

export function saved(): Readonly<Saved> {
  return data;
}

export function save(patch: Saved): void {
  data = { ...data, ...patch };
  for (const key of Object.keys(data) as (keyof Saved)[]) if (data[key] === undefined) delete data[key];
  if (storageBlocked) return;
  try {
    localStorage.setItem(KEY, JSON.stringify(data));
  } catch {
    storageBlocked = true;
  }
}
