/** The only schemes a link or image written by a person may use. */
const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** Tabs and newlines anywhere, and C0 controls or spaces at either end, are ignored by URL parsers. */
const INVISIBLE = /[\t\n\r]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/**
 * Decodes the character references a browser would decode in an attribute, so that
 * `&#106;avascript:` and `javascript&colon;` are judged as what they spell. Guildkit never renders
 * the decoded form; it only refuses what it would mean.
 */
function decodeReferences(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16) || 0xfffd);
    if (lower.startsWith('#')) return String.fromCodePoint(Math.min(Number(lower.slice(1)) || 0xfffd, 0x10ffff));
    const named: Record<string, string> = { colon: ':', tab: '\t', newline: '\n', sol: '/', amp: '&', nbsp: ' ' };
    return named[lower] ?? whole;
  });
}

function parse(value: string, base: string): URL | undefined {
  try {
    return new URL(value.replace(INVISIBLE, '').replace(EDGES, ''), base);
  } catch {
    return undefined;
  }
}

/**
 * The one gate every URL from user content passes: http, https and mailto survive (relative URLs
 * are resolved against `base`, the API's origin); everything else — `javascript:`, `data:`,
 * `vbscript:`, and their encoded, control-prefixed or mixed-case disguises — is dropped.
 *
 * @returns the absolute URL to use, or `undefined` to render no link at all.
 */
export function safeUrl(raw: string, base: string): string | undefined {
  if (raw.length > 2048) return undefined;
  const url = parse(raw, base);
  if (!url || !ALLOWED_SCHEMES.has(url.protocol)) return undefined;
  // Judge the decoded spelling too: if it names another scheme, refuse the URL whole.
  const decoded = decodeReferences(raw);
  if (decoded !== raw) {
    const meant = parse(decoded, base);
    if (!meant || !ALLOWED_SCHEMES.has(meant.protocol)) return undefined;
  }
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return undefined;
  return url.href;
}
