/**
 * The conversation as a live region: agents' messages with name and initials, the visitor's own on the other
 * side with their delivery state, system lines (transfer, closed), and trigger messages.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { languageOf, ordered, type State, type Translate } from '../state';
import type { ChatMessage } from '../types';
import { Avatar } from './Avatar';
import { MessageText } from './MessageText';

interface Props {
  state: State;
  t: Translate;
  onRetry?: (id: string) => void;
}

function systemText(m: ChatMessage, t: Translate): string | undefined {
  if (m.t === 'livechat-close') return t('chatClosed');
  if (m.t === 'livechat_transfer_history') {
    const to = m.transferData?.transferredTo;
    const name = to ? to.name || to.username : m.transferData?.nextDepartment?.name;
    return name ? t('transferred', { name }) : t('transferredQueue');
  }
  return m.t ? '' : undefined; // other system types are not shown
}

function Item({ m, mine, showName, state, t, onRetry }: { m: ChatMessage; mine: boolean; showName: boolean } & Props) {
  const system = systemText(m, t);
  if (system !== undefined) return system ? <li class="sys">{system}</li> : null;
  const name = mine ? t('you') : state.config?.settings.agentHiddenInfo && !m.trigger ? t('agent') : m.u.name || m.u.username || t('agent');
  const time = new Date(m.ts).toLocaleTimeString(languageOf(state), { hour: '2-digit', minute: '2-digit' });
  return (
    <li class={mine ? 'msg me' : 'msg'}>
      {!mine && (showName ? <Avatar name={name} small /> : <span class="av sm gap" aria-hidden="true" />)}
      <div class="col">
        {!mine && showName && (
          <div class="who" aria-hidden="true">
            {name}
          </div>
        )}
        <div class="bubble">
          <span class="sr">{name}: </span>
          <MessageText text={m.msg} />
        </div>
        <div class="meta">
          {m.status === 'failed' ? (
            <span class="failed">
              {t('notSent')}{' '}
              <button type="button" class="link" onClick={() => onRetry?.(m._id)}>
                {t('retry')}
              </button>
            </span>
          ) : m.status === 'sending' ? (
            t('sending')
          ) : (
            <time dateTime={m.ts}>{time}</time>
          )}
        </div>
      </div>
    </li>
  );
}

export function MessageList(props: Props) {
  const { state } = props;
  const list = useRef<HTMLOListElement>(null);
  const messages = ordered(state.messages);
  useLayoutEffect(() => {
    const el = list.current?.parentElement;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, state.typing]);
  const mine = (m: ChatMessage): boolean => m.status !== undefined || (!m.trigger && !!state.user && m.u._id === state.user._id);
  return (
    <ol ref={list} class="log" role="log" aria-live="polite" aria-label={props.t('messages')}>
      {messages.map((m, i) => {
        const prev = messages[i - 1];
        const showName = !prev || prev.t !== undefined || mine(prev) || prev.u._id !== m.u._id || prev.u.username !== m.u.username;
        return <Item key={m._id} m={m} mine={mine(m)} showName={showName} {...props} />;
      })}
    </ol>
  );
}

/** Trigger messages alone, above a form. */
export function TriggerMessages({ state, t }: { state: State; t: Translate }) {
  if (!state.messages.some((m) => m.trigger)) return null;
  return <MessageList state={{ ...state, messages: state.messages.filter((m) => m.trigger) }} t={t} />;
}
