// WebShop's HTML → text observation for the pages this port renders: visible text nodes (not in head,
// title, style, script or comments), each stripped, joined with ` [SEP] `; plus the clickable map
// (class `btn` by lowercased text, class `product-link` by lowercased text, radio inputs by value).
// A small tag scanner for our own markup, not a general HTML parser.

export type Clickable = { type: 'button'; label: string } | { type: 'product'; asin: string } | { type: 'option'; name: string; value: string };

export interface PageText {
  text: string;
  clickables: Map<string, Clickable>;
}

const HIDDEN = new Set(['head', 'title', 'style', 'script', 'noscript']);
const VOID = new Set(['input', 'br', 'meta', 'link', 'img', 'hr']);

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#(\d+));/g, (_, name: string, code: string | undefined) => {
    if (code !== undefined) return String.fromCodePoint(Number(code));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" } as Record<string, string>)[name]!;
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decodeEntities(match[1]!) : undefined;
}

export function htmlToText(html: string): PageText {
  const parts: string[] = [];
  const clickables = new Map<string, Clickable>();
  let hiddenDepth = 0;
  // the kind of clickable whose text is the next text node inside the open element
  let pending: 'button' | 'product' | undefined;
  let position = 0;
  while (position < html.length) {
    if (html.startsWith('<!--', position)) {
      const end = html.indexOf('-->', position);
      position = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[position] === '<') {
      const end = html.indexOf('>', position);
      const tag = html.slice(position, end + 1);
      position = end + 1;
      const closing = tag.startsWith('</');
      const name = /^<\/?([a-zA-Z0-9]+)/.exec(tag)?.[1]?.toLowerCase() ?? '';
      if (HIDDEN.has(name) && !tag.endsWith('/>')) hiddenDepth += closing ? -1 : 1;
      if (closing || VOID.has(name)) {
        if (name === 'input' && attribute(tag, 'type') === 'radio') {
          const value = attribute(tag, 'value') ?? '';
          clickables.set(value, { type: 'option', name: attribute(tag, 'name') ?? '', value });
        }
        continue;
      }
      const classes = (attribute(tag, 'class') ?? '').split(/\s+/);
      if (classes.includes('btn')) pending = 'button';
      else if (classes.includes('product-link')) pending = 'product';
      continue;
    }
    const next = html.indexOf('<', position);
    const raw = html.slice(position, next < 0 ? html.length : next);
    position = next < 0 ? html.length : next;
    if (hiddenDepth > 0) continue;
    const text = decodeEntities(raw).trim();
    if (text.length === 0) continue;
    parts.push(text);
    if (pending === 'button') clickables.set(text.toLowerCase(), { type: 'button', label: text });
    else if (pending === 'product') clickables.set(text.toLowerCase(), { type: 'product', asin: text.toUpperCase() });
    pending = undefined;
  }
  return { text: parts.join(' [SEP] '), clickables };
}
