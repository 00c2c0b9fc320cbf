/** The chat app at `/livechat`, in the widget's iframe (or on its own page when opened directly). */
import { render } from 'preact';
import { fromParent, inWidget } from './bridge';
import { handleHostCall } from './host-calls';
import { Session } from './session';
import { App } from './ui/App';
import './styles.css';

const session = new Session();
fromParent((fn, args) => handleHostCall(session, fn, args));
render(<App session={session} />, document.getElementById('app')!);
void session.load();

addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && inWidget && !event.defaultPrevented) session.minimize();
});
