import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { baseUrl, embedSnippet, MAGENTO_NOTE, snippetText } from '../../../src/domain/embed-snippet.js';

const STANDARD = `<!-- Start of Rocket.Chat Livechat Script -->
<script type="text/javascript">
(function(w, d, s, u) {
\tw.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;
\tvar h = d.getElementsByTagName(s)[0], j = d.createElement(s);
\tj.async = true; j.src = 'https://chat.example.com/livechat/rocketchat-livechat.min.js?_=201903270000';
\th.parentNode.insertBefore(j, h);
})(window, document, 'script', 'https://chat.example.com/livechat');
</script>
<!-- End of Rocket.Chat Livechat Script -->`;

const MAGENTO_WITH_DEPARTMENT = `<!-- Start of Rocket.Chat Livechat Script -->
<script type="text/javascript" defer async>
require(['jquery'], function ($) {
(function(w, d, s, u) {
\tw.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;
\tvar h = d.getElementsByTagName(s)[0], j = d.createElement(s);
\tj.async = true; j.src = 'http://127.0.0.1:3000/support/livechat/rocketchat-livechat.min.js?_=201903270000';
\th.parentNode.insertBefore(j, h);
})(window, document, 'script', 'http://127.0.0.1:3000/support/livechat');
RocketChat(function() { this.setDepartment('sales'); });
});
</script>
<!-- End of Rocket.Chat Livechat Script -->`;

const NOTE = `Paste it into your theme's root.phtml (app/design/frontend/<Vendor>/<theme>/Magento_Theme/templates/root.phtml),
just before </html>. Then flush the Magento cache and the OpCode cache (e.g. restart PHP-FPM) so the change shows.`;

const MAGENTO = `<!-- Start of Rocket.Chat Livechat Script -->
<script type="text/javascript" defer async>
require(['jquery'], function ($) {
(function(w, d, s, u) {
\tw.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;
\tvar h = d.getElementsByTagName(s)[0], j = d.createElement(s);
\tj.async = true; j.src = 'https://chat.example.com/livechat/rocketchat-livechat.min.js?_=201903270000';
\th.parentNode.insertBefore(j, h);
})(window, document, 'script', 'https://chat.example.com/livechat');
});
</script>
<!-- End of Rocket.Chat Livechat Script -->`;

const DEPARTMENT = `<!-- Start of Rocket.Chat Livechat Script -->
<script type="text/javascript">
(function(w, d, s, u) {
\tw.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;
\tvar h = d.getElementsByTagName(s)[0], j = d.createElement(s);
\tj.async = true; j.src = 'https://chat.example.com/livechat/rocketchat-livechat.min.js?_=201903270000';
\th.parentNode.insertBefore(j, h);
})(window, document, 'script', 'https://chat.example.com/livechat');
RocketChat(function() { this.setDepartment('support'); });
</script>
<!-- End of Rocket.Chat Livechat Script -->`;

describe('embed snippet', () => {
  it('is the standard Rocket.Chat snippet pointing at our server', () => {
    expect(embedSnippet({ url: 'https://chat.example.com' })).toEqual({
      loaderUrl: 'https://chat.example.com/livechat/rocketchat-livechat.min.js',
      iframeUrl: 'https://chat.example.com/livechat',
      snippet: STANDARD,
    });
  });

  it('wraps for Magento 2 RequireJS and routes to a department', () => {
    expect(embedSnippet({ url: 'http://127.0.0.1:3000/support/', magento: true, department: 'sales' }).snippet).toBe(MAGENTO_WITH_DEPARTMENT);
  });

  it.each([
    ['https://chat.example.com/', 'https://chat.example.com'],
    ['https://chat.example.com///', 'https://chat.example.com'],
    ['HTTPS://Chat.Example.com:443/', 'https://chat.example.com'],
    ['http://[::1]:3000/base/', 'http://[::1]:3000/base'],
  ])('normalises %s', (input, expected) => {
    expect(baseUrl(input)).toBe(expected);
  });

  it.each([
    ['chat.example.com', 'not a URL: "chat.example.com"; expected e.g. https://chat.example.com'],
    ['ftp://chat.example.com', 'the URL must be http or https, not ftp:'],
    ['javascript:alert(1)', 'the URL must be http or https, not javascript:'],
    ["https://chat.example.com/x'+alert(1)+'", 'the URL contains quotes, spaces, backslashes or angle brackets'],
    ['https://chat.example.com/?a=1', 'the URL must not carry a query, a fragment or credentials'],
    ['https://user:pw@chat.example.com', 'the URL must not carry a query, a fragment or credentials'],
  ])('refuses %s', (input, message) => {
    expect(() => baseUrl(input)).toThrow(message);
  });

  it('refuses a department id that could break out of the string', () => {
    expect(() => embedSnippet({ url: 'https://x.example', department: "a'); alert(1); ('" })).toThrow('not a department id');
  });

  describe('what install-snippet prints', () => {
    const url = 'https://chat.example.com';

    it('--magento alone: the RequireJS form, then where it goes', () => {
      const result = embedSnippet({ url, magento: true });
      expect(result).toEqual({
        loaderUrl: 'https://chat.example.com/livechat/rocketchat-livechat.min.js',
        iframeUrl: 'https://chat.example.com/livechat',
        snippet: MAGENTO,
        note: NOTE,
      });
      expect(MAGENTO_NOTE).toBe(NOTE);
      expect(snippetText(result)).toBe(`${MAGENTO}\n\n${NOTE}\n`);
    });

    it('--department alone: the standard form with setDepartment, and no note', () => {
      const result = embedSnippet({ url, department: 'support' });
      expect(result).toEqual({
        loaderUrl: 'https://chat.example.com/livechat/rocketchat-livechat.min.js',
        iframeUrl: 'https://chat.example.com/livechat',
        snippet: DEPARTMENT,
      });
      expect(snippetText(result)).toBe(`${DEPARTMENT}\n`);
    });

    it('--json: loader URL, iframe URL and snippet', () => {
      expect(snippetText(embedSnippet({ url }), true)).toBe(
        `{
  "loaderUrl": "https://chat.example.com/livechat/rocketchat-livechat.min.js",
  "iframeUrl": "https://chat.example.com/livechat",
  "snippet": ${JSON.stringify(STANDARD)}
}
`,
      );
    });

    it('--json --magento: the placement note is a field too', () => {
      expect(snippetText(embedSnippet({ url, magento: true }), true)).toBe(
        `{
  "loaderUrl": "https://chat.example.com/livechat/rocketchat-livechat.min.js",
  "iframeUrl": "https://chat.example.com/livechat",
  "snippet": ${JSON.stringify(MAGENTO)},
  "note": ${JSON.stringify(NOTE)}
}
`,
      );
    });
  });

  it('README.md shows what the generator prints for config/livechat.yaml', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Embedding the widget'));
    const shown = /```html\n([\s\S]*?)```/.exec(section)?.[1];
    const loaded = await loadConfig(new URL('../../../config/livechat.yaml', import.meta.url).pathname);
    if (!loaded.ok) throw new Error('config/livechat.yaml does not load');
    expect(shown).toBe(snippetText(embedSnippet({ url: loaded.config.server.publicUrl! })));
  });
});
