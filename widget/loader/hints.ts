/**
 * What the loader remembers on the host page between page loads: whether a chat is in progress (so the app is
 * loaded straight away), whether the panel was open, and which run-once triggers already fired. No token and no
 * personal data: the visitor's credential stays in the app's own storage on the server's origin.
 */
export interface Hints {
  /** A chat is in progress. */
  a?: boolean;
  /** The panel was open. */
  o?: boolean;
  /** Ids of run-once triggers that fired. */
  f?: string[];
}

export let hints: Hints = {};
let key = '';

export function loadHints(server: string): void {
  key = 'livechatd:' + server;
  try {
    hints = JSON.parse(localStorage[key] || '{}') as Hints;
  } catch {
    // storage blocked or garbage: start empty, the chat still works for this page
  }
}

export function saveHints(patch: Hints): void {
  Object.assign(hints, patch);
  try {
    localStorage[key] = JSON.stringify(hints);
  } catch {
    // ignore: hints only save work
  }
}

/** When the visitor arrived on the site in this browser session (for `time-on-site` triggers). */
export function siteEntry(): number {
  try {
    return +sessionStorage['livechatd:since'] || +(sessionStorage['livechatd:since'] = Date.now());
  } catch {
    return Date.now(); // no session storage: count from this page load
  }
}
