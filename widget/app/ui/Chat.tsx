/** The chat: notices (queue, connection), the conversation, the typing line, and the composer or the end-chat question. */
import { useRef } from 'preact/hooks';
import type { Session } from '../session';
import type { State, Translate } from '../state';
import { Icon } from './Icon';
import { MessageList } from './MessageList';

export function Chat({ session, state, t }: { session: Session; state: State; t: Translate }) {
  const input = useRef<HTMLTextAreaElement>(null);
  const waiting = state.room && (!state.agent || state.room.status === 'queued');

  function submit(event: Event): void {
    event.preventDefault();
    const el = input.current!;
    session.send(el.value);
    if (!session.state.problem) {
      el.value = '';
      grow(el);
    }
  }

  function keyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) submit(event);
  }

  return (
    <>
      {state.connection === 'reconnecting' && (
        <p class="notice" role="status">
          {t('reconnecting')}
        </p>
      )}
      {waiting && !state.agent && (
        <p class="notice info" role="status">
          {state.queue ? t('queue', { spot: state.queue }) : t('waiting')}
        </p>
      )}
      <div class="body log-wrap">
        <MessageList state={state} t={t} onRetry={(id) => session.retry(id)} />
      </div>
      <p class="typing" aria-live="polite">
        {state.typing && (
          <>
            <span class="dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {t('typing', { name: state.typing })}
          </>
        )}
      </p>
      {state.problem && (
        <p class="err line" role="alert">
          {t(state.problem, { max: Number(state.config?.settings.limitTextLength) || 0 })}
        </p>
      )}
      {state.confirmingClose ? (
        <div class="confirm" role="group" aria-labelledby="confirm-q">
          <span id="confirm-q">{t('endChatQuestion')}</span>
          <button type="button" class="primary" data-autofocus onClick={() => void session.closeChat()}>
            {t('endChat')}
          </button>
          <button type="button" class="secondary" onClick={() => session.set({ confirmingClose: false })}>
            {t('cancel')}
          </button>
        </div>
      ) : (
        <form class="composer" onSubmit={submit}>
          <label class="sr" for="composer">
            {t('message')}
          </label>
          <textarea
            id="composer"
            ref={input}
            rows={1}
            data-autofocus
            placeholder={t('placeholder')}
            maxLength={state.config?.settings.limitTextLength || undefined}
            onKeyDown={keyDown}
            onInput={(e) => {
              grow(e.currentTarget as HTMLTextAreaElement);
              session.typing();
            }}
          />
          <button class="send" type="submit" aria-label={t('send')} title={t('send')}>
            <Icon name="send" />
          </button>
        </form>
      )}
    </>
  );
}

/** Fits the textarea to its text, up to the CSS max-height. */
function grow(el: HTMLTextAreaElement): void {
  el.style.height = 'auto';
  el.style.height = `${el.scrollHeight}px`;
}
