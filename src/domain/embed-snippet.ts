/**
 * The embed code site owners paste: Rocket.Chat's documented Livechat snippet (so existing install guides and
 * tag managers keep working), pointing at this server. Pure string building; the URL and department are checked
 * here so nothing a caller passes can break out of the script's string literals.
 */
export interface SnippetOptions {
  /** The server's public base URL, http(s). */
  url: string;
  /** Wrap for Magento 2, whose pages load scripts through RequireJS. */
  magento?: boolean;
  /** Route every chat from these pages to one department. */
  department?: string;
}

export interface Snippet {
  loaderUrl: string;
  iframeUrl: string;
  snippet: string;
  /** Where the snippet goes and what to flush afterwards (the Magento form only; printed after the snippet). */
  note?: string;
}

/** Characters that could end a quoted string or a script element, or smuggle markup. */
const UNSAFE = /['"\\<>`\s]/;
const DEPARTMENT = /^[A-Za-z0-9_-]{1,128}$/;

export class SnippetError extends Error {}

/** A canonical base URL without a trailing slash, or a SnippetError saying what is wrong. */
export function baseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SnippetError(`not a URL: ${JSON.stringify(input)}; expected e.g. https://chat.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SnippetError(`the URL must be http or https, not ${url.protocol}`);
  if (url.search || url.hash || url.username || url.password) throw new SnippetError('the URL must not carry a query, a fragment or credentials');
  const text = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  if (UNSAFE.test(text)) throw new SnippetError('the URL contains quotes, spaces, backslashes or angle brackets');
  return text;
}

export function embedSnippet(options: SnippetOptions): Snippet {
  const base = baseUrl(options.url);
  if (options.department !== undefined && !DEPARTMENT.test(options.department)) {
    throw new SnippetError(`not a department id: ${JSON.stringify(options.department)}`);
  }
  const iframeUrl = `${base}/livechat`;
  const loaderUrl = `${iframeUrl}/rocketchat-livechat.min.js`;
  const body = [
    '(function(w, d, s, u) {',
    '\tw.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;',
    '\tvar h = d.getElementsByTagName(s)[0], j = d.createElement(s);',
    `\tj.async = true; j.src = '${loaderUrl}?_=201903270000';`,
    '\th.parentNode.insertBefore(j, h);',
    `})(window, document, 'script', '${iframeUrl}');`,
    ...(options.department === undefined ? [] : [`RocketChat(function() { this.setDepartment('${options.department}'); });`]),
  ];
  const snippet = options.magento
    ? [
        '<!-- Start of Rocket.Chat Livechat Script -->',
        '<script type="text/javascript" defer async>',
        "require(['jquery'], function ($) {",
        ...body,
        '});',
        '</script>',
        '<!-- End of Rocket.Chat Livechat Script -->',
      ].join('\n')
    : ['<!-- Start of Rocket.Chat Livechat Script -->', '<script type="text/javascript">', ...body, '</script>', '<!-- End of Rocket.Chat Livechat Script -->'].join('\n');
  return { loaderUrl, iframeUrl, snippet, ...(options.magento && { note: MAGENTO_NOTE }) };
}

/** What `livechat install-snippet` prints: the snippet and its note, or (`json`) every piece as a JSON object. */
export function snippetText(snippet: Snippet, json = false): string {
  if (json) return `${JSON.stringify(snippet, null, 2)}\n`;
  return `${snippet.snippet}\n${snippet.note === undefined ? '' : `\n${snippet.note}\n`}`;
}

/** Where the Magento snippet goes, printed after it. */
export const MAGENTO_NOTE = [
  'Paste it into your theme\'s root.phtml (app/design/frontend/<Vendor>/<theme>/Magento_Theme/templates/root.phtml),',
  'just before </html>. Then flush the Magento cache and the OpCode cache (e.g. restart PHP-FPM) so the change shows.',
].join('\n');
