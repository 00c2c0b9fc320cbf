/**
 * The host page's URL and title, polled every 800 ms like Rocket.Chat's loader (this also catches
 * history.pushState navigation). The app turns them into Rocket.Chat's `pageInfo`.
 */
export const page = (change: 'url' | 'title'): unknown[] => [change, location.href, document.title];

export function watchPage(onChange: (change: 'url' | 'title') => void): void {
  let href = location.href;
  let title = document.title;
  setInterval(() => {
    const change = location.href !== href ? 'url' : document.title !== title ? 'title' : '';
    href = location.href;
    title = document.title;
    if (change) onChange(change);
  }, 800);
}
