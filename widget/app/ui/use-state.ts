import { useLayoutEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import type { State } from '../state';

/**
 * The session's state, re-rendering the component whenever it changes. It subscribes in a layout effect (run as
 * the render is committed, not after the next frame like useEffect) and re-renders once if the state changed
 * between the render and the subscription: on a busy machine the config can arrive in that gap, and a change
 * missed there would leave the app on its loading screen.
 */
export function useAppState(session: Session): State {
  const [, setVersion] = useState(0);
  const rendered = session.state;
  useLayoutEffect(() => {
    const unsubscribe = session.subscribe(() => setVersion((n) => n + 1));
    if (session.state !== rendered) setVersion((n) => n + 1);
    return unsubscribe;
  }, [session]);
  return session.state;
}
