/**
 * The app's state container: one immutable state object replaced on every change, listeners (the UI), and the
 * launcher's unread count and accessible names mirrored to the loader whenever they change.
 */
import { inWidget, toParent } from './bridge';
import { initialState, launcherLabels, type State } from './state';
import { storageBlocked } from './storage';

export class Store {
  state: State = initialState(storageBlocked, !inWidget);
  readonly #listeners = new Set<() => void>();
  #launcher = '';

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  set(patch: Partial<State>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.#listeners) listener();
    const launcher = launcherLabels(this.state);
    const key = JSON.stringify(launcher);
    if (key === this.#launcher) return;
    this.#launcher = key;
    toParent('launcher', ...launcher);
  }
}
