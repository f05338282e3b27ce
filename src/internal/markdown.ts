import { html, nothing, type TemplateResult } from 'lit';
import { safeUrl } from './safe-url.js';

/*
 * Markdown written by people, rendered without ever parsing a string as HTML: the source becomes
 * plain data (blocks and inlines), and the data becomes Lit templates whose every piece of user text
 * is a text binding. Raw HTML in the source is shown as the text it is.
 *
 * Supported, as people write it in comments and cards: paragraphs, line breaks, emphasis, strong,
 * inline code and fenced code blocks, bullet and numbered lists (nested), quotes, headings, rules,
 * links, autolinks and images. A full CommonMark library was measured at 15 kB gzip for its lexer
 * alone, half the budget of every widget together; this subset is a small fraction of that.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong' | 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'image'; src: string; alt: string }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; children: Inline[] }
  | { type: 'code'; text: string; language: string }
  | { type: 'quote'; children: Block[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { type: 'rule' };

/** Nesting deeper than this is shown flat, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 8;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])( +|$)/;
const HEADING = /^ {0,3}#{1,6}(?: +|$)/;
const RULE = /^ {0,3}([-*_])(?: *\1){2,} *$/;

function startsBlock(line: string): boolean {
  return FENCE.test(line) || QUOTE.test(line) || LIST_ITEM.test(line) || HEADING.test(line) || RULE.test(line);
}

/** Parses markdown into blocks. Pure and total: any string gives a result. */
export function parseMarkdown(source: string, base: string, depth = 0): Block[] {
  // eslint-disable-next-line no-control-regex -- NUL is replaced, as CommonMark says
  const lines = source.replace(/\r\n?/g, '\n').replace(/\u0000/g, '\uFFFD').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker)) {
        body.push(lines[i] ?? '');
        i += 1;
      }
      i += 1;
      blocks.push({ type: 'code', text: body.join('\n'), language: (fence[2] ?? '').slice(0, 30) });
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? '')) {
        body.push((lines[i] ?? '').replace(QUOTE, ''));
        i += 1;
      }
      const inner = body.join('\n');
      blocks.push(
        depth < MAX_DEPTH
          ? { type: 'quote', children: parseMarkdown(inner, base, depth + 1) }
          : { type: 'paragraph', children: parseInline(inner, base, depth) },
      );
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item && depth < MAX_DEPTH) {
      const ordered = /\d/.test(item[2] ?? '');
      const start = ordered ? Number.parseInt(item[2] ?? '1', 10) : 1;
      const items: string[][] = [];
      while (i < lines.length) {
        const current = lines[i] ?? '';
        const marker = LIST_ITEM.exec(current);
        if (marker && /\d/.test(marker[2] ?? '') === ordered) {
          items.push([current.slice(marker[0].length)]);
        } else if (current.trim() === '' && /^ {2,}\S/.test(lines[i + 1] ?? '')) {
          items.at(-1)?.push('');
        } else if (current.trim() !== '' && (/^ {2,}/.test(current) || !startsBlock(current)) && items.length > 0) {
          // An indented line continues the item (a nested list, say); an unindented one is lazy text.
          items.at(-1)?.push(current.replace(/^ {2,4}/, ''));
        } else {
          break;
        }
        i += 1;
      }
      blocks.push({ type: 'list', ordered, start, items: items.map((text) => parseMarkdown(text.join('\n'), base, depth + 1)) });
      continue;
    }
    if (HEADING.test(line)) {
      blocks.push({ type: 'heading', children: parseInline(line.replace(HEADING, '').replace(/ +#+ *$/, ''), base, depth) });
      i += 1;
      continue;
    }
    const body: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '' && (body.length === 0 || !startsBlock(lines[i] ?? ''))) {
      body.push(lines[i] ?? '');
      i += 1;
    }
    blocks.push({ type: 'paragraph', children: parseInline(body.join('\n'), base, depth) });
  }
  return blocks;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * How far a link's text or destination may run. Bounding the search keeps parsing linear on hostile
 * input such as twenty thousand `[` (each would otherwise scan to the end).
 */
const MAX_LINK_TEXT = 1000;
const MAX_DESTINATION = 2100;

/** Finds the `)` that closes a link destination starting at `from`, or -1. */
function closingParen(text: string, from: number): number {
  let depth = 0;
  for (let j = from; j < Math.min(text.length, from + MAX_DESTINATION); j += 1) {
    const c = text[j];
    if (c === '\\') j += 1;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      if (depth === 0) return j;
      depth -= 1;
    } else if (c === '\n') return -1;
  }
  return -1;
}

/** Finds the `]` that closes a link text starting at `from`, or -1. */
function closingBracket(text: string, from: number): number {
  let depth = 0;
  for (let j = from; j < Math.min(text.length, from + MAX_LINK_TEXT); j += 1) {
    const c = text[j];
    if (c === '\\') j += 1;
    else if (c === '`') {
      const end = text.indexOf('`', j + 1);
      if (end > 0) j = end;
    } else if (c === '[') depth += 1;
    else if (c === ']') {
      if (depth === 0) return j;
      depth -= 1;
    }
  }
  return -1;
}

/** Splits `(url "title")` into the URL; titles are dropped (they would only be a tooltip). */
function destination(inside: string): string {
  const trimmed = inside.trim();
  if (trimmed.startsWith('<')) {
    const end = trimmed.indexOf('>');
    return end > 0 ? trimmed.slice(1, end) : trimmed;
  }
  return trimmed.split(/\s+/)[0] ?? '';
}

function pushText(out: Inline[], text: string): void {
  if (!text) return;
  const last = out.at(-1);
  if (last?.type === 'text') last.text += text;
  else out.push({ type: 'text', text });
}

/** Parses inline markdown. Pure and total. */
export function parseInline(text: string, base: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  // No `]` after a `[` means no link there: skip the search (hostile input may hold thousands).
  const lastClose = text.lastIndexOf(']');
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const rest = text.slice(i);
    if (c === '\\' && PUNCTUATION.test(text[i + 1] ?? '')) {
      pushText(out, text[i + 1] ?? '');
      i += 2;
      continue;
    }
    if ((c === '\\' || c === ' ') && text[i + 1] === '\n' && (c === '\\' || text[i - 1] === ' ')) {
      out.push({ type: 'break' });
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)?.[0] ?? '`';
      const end = text.indexOf(run, i + run.length);
      if (end > 0 && text[end + run.length] !== '`') {
        let code = text.slice(i + run.length, end).replace(/\n/g, ' ');
        if (/^ .* $/.test(code) && code.trim()) code = code.slice(1, -1);
        out.push({ type: 'code', text: code });
        i = end + run.length;
        continue;
      }
      pushText(out, run);
      i += run.length;
      continue;
    }
    if (((c === '!' && text[i + 1] === '[') || c === '[') && i < lastClose) {
      const open = c === '!' ? i + 1 : i;
      const close = closingBracket(text, open + 1);
      const paren = close > 0 && text[close + 1] === '(' ? closingParen(text, close + 2) : -1;
      if (close > 0 && paren > 0) {
        const label = text.slice(open + 1, close);
        const url = safeUrl(destination(text.slice(close + 2, paren)), base);
        if (c === '!') {
          // Images only from the web: a mailto: image is no image.
          if (url && url.startsWith('http')) out.push({ type: 'image', src: url, alt: label.replace(/[\\*_`[\]]/g, '') });
          else pushText(out, label);
        } else if (url && depth < MAX_DEPTH) {
          out.push({ type: 'link', href: url, children: parseInline(label, base, depth + 1) });
        } else {
          out.push(...parseInline(label, base, depth + 1));
        }
        i = paren + 1;
        continue;
      }
    }
    if (c === '<') {
      const auto = /^<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>/.exec(rest);
      if (auto?.[1]) {
        const target = auto[1].includes(':') ? auto[1] : `mailto:${auto[1]}`;
        const url = safeUrl(target, base);
        if (url) out.push({ type: 'link', href: url, children: [{ type: 'text', text: auto[1] }] });
        else pushText(out, auto[0]);
        i += auto[0].length;
        continue;
      }
    }
    if ((c === 'h' || c === 'H') && (i === 0 || /[\s(]/.test(text[i - 1] ?? ''))) {
      const bare = /^https?:\/\/[^\s<]+/i.exec(rest);
      if (bare) {
        const link = bare[0].replace(/[.,:;!?'")\]]+$/, '');
        const url = safeUrl(link, base);
        if (url) out.push({ type: 'link', href: url, children: [{ type: 'text', text: link }] });
        else pushText(out, link);
        i += link.length;
        continue;
      }
    }
    if ((c === '*' || c === '_') && depth < MAX_DEPTH) {
      const strong = text[i + 1] === c;
      const marker = strong ? c + c : c;
      const innerStart = i + marker.length;
      const nextChar = text[innerStart] ?? '';
      // Intraword underscores (snake_case) are text, as people expect.
      const intraword = c === '_' && /\w/.test(text[i - 1] ?? '');
      if (nextChar && !/\s/.test(nextChar) && !intraword) {
        let end = text.indexOf(marker, innerStart + 1);
        while (end > 0 && (/\s/.test(text[end - 1] ?? '') || (!strong && text[end + 1] === c) || text[end - 1] === '\\')) {
          end = text.indexOf(marker, end + 1);
        }
        if (end > innerStart) {
          out.push({ type: strong ? 'strong' : 'em', children: parseInline(text.slice(innerStart, end), base, depth + 1) });
          i = end + marker.length;
          continue;
        }
      }
      pushText(out, marker);
      i += marker.length;
      continue;
    }
    // Plain text up to the next character that might start something.
    const next = rest.slice(1).search(/[\\`![<*_hH \n]/);
    const chunk = next < 0 ? rest : rest.slice(0, next + 1);
    pushText(out, chunk);
    i += chunk.length;
  }
  return out;
}

function renderInline(nodes: Inline[]): unknown[] {
  return nodes.map((node) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return html`<code>${node.text}</code>`;
      case 'strong':
        return html`<strong>${renderInline(node.children)}</strong>`;
      case 'em':
        return html`<em>${renderInline(node.children)}</em>`;
      case 'link':
        return html`<a href=${node.href} rel="noopener noreferrer nofollow ugc" target="_blank">${renderInline(node.children)}</a>`;
      case 'image':
        return html`<img src=${node.src} alt=${node.alt} loading="lazy" referrerpolicy="no-referrer" />`;
      case 'break':
        return html`<br />`;
    }
  });
}

function renderBlocks(blocks: Block[]): unknown[] {
  return blocks.map((block) => {
    switch (block.type) {
      case 'paragraph':
        return html`<p>${renderInline(block.children)}</p>`;
      case 'heading':
        return html`<p class="heading"><strong>${renderInline(block.children)}</strong></p>`;
      case 'code':
        return html`<pre><code data-language=${block.language || nothing}>${block.text}</code></pre>`;
      case 'quote':
        return html`<blockquote>${renderBlocks(block.children)}</blockquote>`;
      case 'list':
        return block.ordered
          ? html`<ol start=${block.start === 1 ? nothing : block.start}>${block.items.map((item) => html`<li>${renderBlocks(item)}</li>`)}</ol>`
          : html`<ul>${block.items.map((item) => html`<li>${renderBlocks(item)}</li>`)}</ul>`;
      case 'rule':
        return html`<hr />`;
    }
  });
}

/**
 * Renders markdown a person wrote as a Lit template. Relative links resolve against `base` (the
 * API's origin); links and images whose URL `safeUrl()` refuses are shown as their text.
 */
export function renderMarkdown(source: string, base: string): TemplateResult {
  return html`${renderBlocks(parseMarkdown(source, base))}`;
}
