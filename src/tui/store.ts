/**
 * The state outside React, reduced synchronously. Keys can arrive faster than React renders (a fast typist, a
 * paste split into pieces); each must see the state the previous one left, not the last rendered one.
 */
import type { Action } from './actions.js';
import { reduce } from './reduce.js';
import type { ConsoleState } from './state.js';

export interface Store {
  getState(): ConsoleState;
  dispatch(action: Action): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: ConsoleState): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
