import { describe, expect, it } from 'vitest';
import { baseUrl, embedSnippet } from '../../../src/domain/embed-snippet.js';

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
});
