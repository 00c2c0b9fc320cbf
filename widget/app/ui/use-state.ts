import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import type { State } from '../state';

/** The session's state, re-rendering the component whenever it changes. */
export function useAppState(session: Session): State {
  const [, setVersion] = useState(0);
  useEffect(() => session.subscribe(() => setVersion((n) => n + 1)), [session]);
  return session.state;
}
