import type { FastifyInstance } from 'fastify';
import { getCard, parseCardId } from './handlers/cards.js';
import type { HandlerContext } from './handlers/index.js';
import { escapeHtml } from './html.js';
import { HttpProblem } from './problems.js';


const TRUST_TEXT = {
  verified: 'Verified',
  'needs-review': 'Needs review',
  outdated: 'Outdated',
  unverified: 'Unverified',
} as const;

/**
 * A card's public, read-only page: a link to paste in an email or a chat. It shows the card through
 * the same element (so the same safe markdown renderer) as any intranet page, signed out, with the
 * card's text in plain HTML for crawlers and for readers without script, Open Graph tags and oEmbed
 * discovery. `?embed=1` is the frame the oEmbed answer points to.
 */
export function registerCardPages(server: FastifyInstance, context: HandlerContext): void {
  server.get<{ Params: { cardId: string }; Querystring: { embed?: string } }>('/cards/:cardId', async (request, reply) => {
    if (parseCardId(request.params.cardId) === undefined) throw new HttpProblem(404, 'not-found', 'Not found', 'No such card.');
    // Drafts are not public: signed out, they do not exist.
    const card = await getCard(context, request.params.cardId, undefined);
    const embed = request.query.embed === '1';
    const url = card.url;
    const oembed = `${context.issuer.publicUrl}/api/oembed?url=${encodeURIComponent(url)}&format=json`;
    const trust = TRUST_TEXT[card.trust.state];
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(card.title)}</title>
<meta name="description" content="${escapeHtml(card.summary || card.title)}">
<meta property="og:type" content="article">
<meta property="og:title" content="${escapeHtml(card.title)}">
<meta property="og:description" content="${escapeHtml(`${trust}. ${card.summary}`.trim())}">
<meta property="og:url" content="${escapeHtml(url)}">
<link rel="canonical" href="${escapeHtml(url)}">
<link rel="alternate" type="application/json+oembed" href="${escapeHtml(oembed)}" title="${escapeHtml(card.title)}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/cards-page.css">
<script type="module" src="/guildkit/guildkit.js" data-api="/api"></script>
</head>
<body class="${embed ? 'embed' : 'page'}"><main>
<guild-knowledge-card card="${escapeHtml(card.id)}"${embed ? ' view="compact"' : ''}>
<noscript><article><h1>${escapeHtml(card.title)}</h1><p><strong>${trust}</strong></p><p>${escapeHtml(card.summary)}</p><pre>${escapeHtml(card.body)}</pre></article></noscript>
</guild-knowledge-card>
</main></body></html>`;
    return reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        [
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          'img-src http: https: data:',
          "connect-src 'self'",
          "base-uri 'none'",
          "object-src 'none'",
          `frame-ancestors ${embed ? '*' : "'none'"}`,
          "require-trusted-types-for 'script'",
          'trusted-types lit-html',
        ].join('; '),
      )
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(html);
  });
  server.get('/cards-page.css', (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(
        'body{font:16px/1.5 system-ui,sans-serif;color:#1f2937;margin:0}' +
          '.page main{max-width:46rem;margin:2rem auto;padding:0 1rem}.embed main{padding:0}' +
          'pre{white-space:pre-wrap;font:inherit}',
      ),
  );
}
