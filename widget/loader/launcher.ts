/**
 * The launcher bubble and the panel's frame on the host page, in a shadow root so the site's CSS cannot reach
 * them and theirs cannot leak out. Built with DOM calls only; every text is set as text.
 * (Module-level state: there is one launcher per page, and the loader's size budget likes short names.)
 */
const NS = 'http://www.w3.org/2000/svg';
const BUBBLE = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';
const CROSS = 'M6 6l12 12M18 6L6 18';

const CSS =
  ':host{all:initial}' +
  '.l,iframe{position:fixed;z-index:2147483000;right:20px;bottom:20px;border:0;box-shadow:0 4px 16px #0005}' +
  '.left>*{right:auto;left:20px}' +
  '.l{width:56px;height:56px;border-radius:50%;cursor:pointer}' +
  'svg{width:28px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round}' +
  'span{position:absolute;border-radius:9px;background:#d93025;color:#fff;font:700 12px/18px sans-serif}' +
  '.b{top:-4px;right:-4px;padding:0 6px}' +
  '.d{bottom:3px;right:3px;width:10px;height:10px;border:2px solid #fff;background:#1e8e3e}' +
  '.off .d{background:#999}' +
  'iframe{bottom:88px;width:370px;height:560px;max-height:calc(100% - 108px);border-radius:12px;background:#fff}' +
  '@media(max-width:480px){iframe{inset:0;width:100%;height:100%;max-height:none;border-radius:0}.open .l{display:none}}';

const attr = (e: Element, name: string, value: string): void => e.setAttribute(name, value);

/** Holds the button and, once created, the panel's iframe. Hidden until the config says how it should look. */
export const box = document.createElement('div');
export const button = document.createElement('button');
const path = document.createElementNS(NS, 'path');
const badge = document.createElement('span');
const dot = document.createElement('span');

export function mountLauncher(onClick: () => void): void {
  const host = document.createElement('div');
  host.className = 'rocketchat-widget';
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const svg = document.createElementNS(NS, 'svg');
  attr(svg, 'viewBox', '0 0 24 24');
  attr(svg, 'aria-hidden', 'true');
  svg.append(path);
  badge.className = 'b';
  attr(badge, 'aria-hidden', 'true');
  dot.className = 'd';
  button.type = 'button';
  button.append(svg, badge, dot);
  button.onclick = onClick;
  box.hidden = true;
  box.append(button);
  root.append(style, box);
  const mount = (): unknown => document.body.append(host);
  if (document.body) mount();
  else addEventListener('DOMContentLoaded', mount);
}

/** The launcher's look: `t` is the theme (with `setTheme` applied), `label` its accessible name now. */
export function paintLauncher(t: Record<string, string | undefined>, online: boolean, open: boolean, unread: number, title: string, label: string): void {
  const style = button.style;
  box.className = (t.position === 'left' ? 'left' : '') + (open ? ' open' : '');
  button.className = online ? 'l' : 'l off';
  style.background = (online ? t.color : t.offlineColor) || '#666';
  style.color = t.iconColor || '#fff';
  button.title = title;
  attr(button, 'aria-label', label);
  attr(button, 'aria-expanded', '' + open);
  attr(path, 'd', open ? CROSS : BUBBLE);
  badge.textContent = unread > 9 ? '9+' : '' + unread;
  badge.hidden = open || !unread;
  dot.hidden = open;
}
