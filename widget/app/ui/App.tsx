/** The panel: themed frame, title bar, the storage notice, and the current screen. */
import { useEffect } from 'preact/hooks';
import { contrast } from '../../shared/contrast';
import { focusMain } from '../focus';
import type { Session } from '../session';
import { languageOf, themeOf, translator } from '../state';
import { Chat } from './Chat';
import { Header } from './Header';
import { OfflineForm } from './OfflineForm';
import { RegisterForm } from './RegisterForm';
import { StatusScreen } from './StatusScreens';
import { useAppState } from './use-state';

export function App({ session }: { session: Session }) {
  const state = useAppState(session);
  const t = translator(state);
  const lang = languageOf(state);
  const theme = themeOf(state);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = theme.title;
  }, [lang, theme.title]);
  // A new screen's main control gets focus while the visitor is in the panel; never steal it from the host page.
  useEffect(() => {
    if (state.open && state.screen !== 'loading' && document.hasFocus()) focusMain();
  }, [state.screen]);

  const props = { session, state, t };
  return (
    <div class="panel" style={{ '--c': theme.color, '--fg': theme.fontColor || contrast(theme.color) }}>
      <Header {...props} />
      {state.storageBlocked && state.screen !== 'loading' && <p class="notice">{t('storageBlocked')}</p>}
      <main class="main">
        {state.screen === 'register' ? (
          <RegisterForm {...props} />
        ) : state.screen === 'offline' ? (
          <OfflineForm {...props} />
        ) : state.screen === 'chat' ? (
          <Chat {...props} />
        ) : (
          <StatusScreen {...props} />
        )}
      </main>
    </div>
  );
}
