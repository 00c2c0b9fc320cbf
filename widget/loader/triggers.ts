/**
 * Decides when a trigger fires: every condition of a trigger must hold. `page-url` is tested against the host
 * page's URL (Rocket.Chat 1.13.3 tested the iframe's own URL, which never matched a page of the site),
 * `time-on-site` counts from the visitor's arrival in this browser session, `chat-opened-by-visitor` and
 * `after-guest-registration` hold once the visitor did that on this page. A trigger fires at most once per page
 * (again after an in-page URL change for page-url triggers) and, with `runOnce`, once per browser.
 */
import type { Trigger, TriggerCondition } from '../shared/protocol';
import { hints, saveHints } from './hints';

let list: Trigger[] = [];
const done = new Set<string>();
/** What the visitor did on this page, by the name of the condition that asks for it. */
export const flags: Record<string, boolean> = { __proto__: null } as never;
let since = 0;
let allowed = (): boolean => false;
let fire: (t: Trigger) => void;

const holds = (c: TriggerCondition): boolean => {
  try {
    return c.name === 'page-url'
      ? new RegExp('' + c.value).test(location.href)
      : c.name === 'time-on-site'
        ? Date.now() - since >= +c.value! * 1000
        : !!flags[c.name]; // chat-opened-by-visitor, after-guest-registration
  } catch {
    return false; // a pattern this browser cannot compile
  }
};

/** Re-evaluates every trigger; call after any change a condition may depend on. */
export function checkTriggers(): void {
  if (!allowed()) return;
  for (const t of list) {
    const fired = hints.f || [];
    if (done.has(t._id) || (t.runOnce && fired.includes(t._id)) || !t.conditions.every(holds)) continue;
    done.add(t._id);
    if (t.runOnce) saveHints({ f: [...fired, t._id] });
    fire(t);
  }
}

export function startTriggers(triggers: Trigger[], arrived: number, canFire: () => boolean, onFire: (t: Trigger) => void): void {
  list = triggers;
  since = arrived;
  allowed = canFire;
  fire = onFire;
  for (const t of list) for (const c of t.conditions) if (c.name === 'time-on-site') setTimeout(checkTriggers, since + +c.value! * 1000 - Date.now());
  checkTriggers();
}

export function urlChanged(): void {
  for (const t of list) if (t.conditions.some((c) => c.name === 'page-url')) done.delete(t._id);
  checkTriggers();
}
