/** The screens that are mostly one message: loading, load error, disabled, unavailable, offline sent, finished. */
import type { ComponentChildren } from 'preact';
import type { Session } from '../session';
import type { State, Translate } from '../state';

function Centered({ children, busy }: { children: ComponentChildren; busy?: boolean }) {
  return (
    <div class="body center" role="status" aria-busy={busy}>
      {children}
    </div>
  );
}

export function StatusScreen({ session, state, t }: { session: Session; state: State; t: Translate }) {
  const messages = state.config?.messages;
  switch (state.screen) {
    case 'loading':
      return (
        <Centered busy>
          <span class="spinner" aria-hidden="true" />
          <span class="sr">{t('loading')}</span>
        </Centered>
      );
    case 'error':
      return (
        <Centered>
          <p>{t('loadFailed')}</p>
          <button type="button" class="primary" data-autofocus onClick={() => void session.load()}>
            {t('tryAgain')}
          </button>
        </Centered>
      );
    case 'disabled':
      return (
        <Centered>
          <p>{t('disabled')}</p>
        </Centered>
      );
    case 'unavailable':
      return (
        <Centered>
          <p>{messages?.offlineUnavailableMessage || t('unavailable')}</p>
        </Centered>
      );
    case 'offline-sent':
      return (
        <Centered>
          <p class="big">{messages?.offlineSuccessMessage || t('offlineSent')}</p>
        </Centered>
      );
    case 'finished':
      return (
        <Centered>
          <h2>{messages?.conversationFinishedMessage || t('finishedTitle')}</h2>
          <p>{messages?.conversationFinishedText || t('finishedText')}</p>
          <button type="button" class="primary" data-autofocus onClick={() => void session.newChat()}>
            {t('newChat')}
          </button>
        </Centered>
      );
    default:
      return null;
  }
}
