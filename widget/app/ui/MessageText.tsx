/**
 * A message's text as text. Web addresses become links, and only http(s) ones: nothing the sender writes can
 * become markup, a script URL or an attribute.
 */
import type { ComponentChildren } from 'preact';

const URLS = /\bhttps?:\/\/[^\s<>"']+/gi;

function safeHref(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function MessageText({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (const match of text.matchAll(URLS)) {
    const link = match[0].replace(/[.,;:!?)\]}]+$/, ''); // sentence punctuation is not part of the address
    const start = match.index!;
    const href = safeHref(link);
    if (!href) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {link}
      </a>,
    );
    at = start + link.length;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
