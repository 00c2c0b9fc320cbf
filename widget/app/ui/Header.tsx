/** The panel's title bar: the agent (name, initials, presence) or the site's title, and the panel's buttons. */
import { inWidget } from '../bridge';
import { focusMain } from '../focus';
import type { Session } from '../session';
import { themeOf, type State, type Translate } from '../state';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

export function Header({ session, state, t }: { session: Session; state: State; t: Translate }) {
  const { title } = themeOf(state);
  const agent = state.agent && !state.agent.hiddenInfo && state.room ? state.agent : null;
  const agentName = agent ? agent.name || agent.username || t('agent') : null;
  const status = agent?.status === 'available' || agent?.status === 'online' ? 'online' : agent?.status === 'away' ? 'away' : agent ? 'offline' : null;
  return (
    <header class="head">
      {agentName && <Avatar name={agentName} />}
      <div class="titles">
        <h1 id="title">{agentName ?? title}</h1>
        {agentName && (
          <p class="sub">
            <span class={`presence ${status}`} aria-hidden="true" />
            {title} · {t(status!)}
          </p>
        )}
      </div>
      {state.room && state.screen === 'chat' && !state.confirmingClose && (
        <button
          type="button"
          class="icon"
          aria-label={t('endChat')}
          title={t('endChat')}
          onClick={() => {
            session.set({ confirmingClose: true });
            focusMain();
          }}
        >
          <Icon name="end" />
        </button>
      )}
      {inWidget && (
        <button type="button" class="icon" aria-label={t('minimize')} title={t('minimize')} onClick={() => session.minimize()}>
          <Icon name="minimize" />
        </button>
      )}
    </header>
  );
}
