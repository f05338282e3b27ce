import type { FastifyInstance } from 'fastify';
import { getAward, verifyAward } from './handlers/badges.js';
import { escapeHtml } from './html.js';
import type { HandlerContext } from './handlers/index.js';
import { HttpProblem } from './problems.js';

/** Colours and a symbol per default badge; any other slug gets the neutral one. */
const BADGE_ART: Record<string, { from: string; to: string; symbol: string }> = {
  'first-contribution': { from: '#38bdf8', to: '#1d4ed8', symbol: '1' },
  regular: { from: '#a78bfa', to: '#6d28d9', symbol: '10' },
  helpful: { from: '#fbbf24', to: '#b45309', symbol: '♥' },
  mentor: { from: '#34d399', to: '#047857', symbol: 'M' },
  'problem-solver': { from: '#f472b6', to: '#be185d', symbol: '✓' },
  'knowledge-keeper': { from: '#2dd4bf', to: '#0f766e', symbol: 'K' },
  author: { from: '#fb923c', to: '#c2410c', symbol: 'A' },
  facilitator: { from: '#60a5fa', to: '#1e3a8a', symbol: 'F' },
  'community-champion': { from: '#facc15', to: '#a16207', symbol: '★' },
};
const NEUTRAL_ART = { from: '#94a3b8', to: '#334155', symbol: '•' };


/** A badge image: a plain SVG with no script, links or external references. */
export function badgeSvg(slug: string): string {
  const art = BADGE_ART[slug] ?? NEUTRAL_ART;
  const size = art.symbol.length > 1 ? 44 : 56;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120" role="img">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${art.from}"/><stop offset="1" stop-color="${art.to}"/></linearGradient></defs>
<path d="M60 4 L108 32 L108 88 L60 116 L12 88 L12 32 Z" fill="url(#g)" stroke="#ffffff" stroke-width="4"/>
<text x="60" y="62" text-anchor="middle" dominant-baseline="central" font-family="system-ui, sans-serif" font-weight="700" font-size="${size}" fill="#ffffff">${escapeHtml(art.symbol)}</text>
</svg>`;
}

const STATUS_TEXT = {
  verified: 'Verified',
  expired: 'Expired',
  revoked: 'Revoked',
  invalid: 'Could not verify',
} as const;


function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Public pages of the reference server for badges: each award's verification page (the link people
 * share, verified on the server each time it is opened) and the default badges' images.
 */
export function registerBadgePages(server: FastifyInstance, context: HandlerContext): void {
  server.get<{ Params: { slug: string } }>('/badges/images/:slug', async (request, reply) => {
    const match = /^([a-z0-9-]{1,64})\.svg$/.exec(request.params.slug);
    if (!match?.[1]) throw new HttpProblem(404, 'not-found', 'Not found', 'No such badge image.');
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('x-content-type-options', 'nosniff')
      .send(badgeSvg(match[1]));
  });

  server.get<{ Params: { awardId: string } }>('/badges/:awardId', async (request, reply) => {
    const id = request.params.awardId;
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) throw new HttpProblem(404, 'not-found', 'Not found', 'No such award.');
    const [award, verification] = await Promise.all([getAward(context, id), verifyAward(context, id)]);
    const image = safeHref(award.achievement.image.id);
    const date = (iso: string) => escapeHtml(new Date(iso).toISOString().slice(0, 10));
    const evidence = award.evidence
      .map((e) => {
        const href = safeHref(e.id);
        const label = escapeHtml(e.name ?? e.id);
        return `<li>${href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : label}${e.narrative ? ` — ${escapeHtml(e.narrative)}` : ''}</li>`;
      })
      .join('');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(award.achievement.name)} — ${escapeHtml(award.recipient.name)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
img{width:120px;height:120px}.status{display:inline-block;padding:.2em .6em;border-radius:999px;font-weight:600}
.verified{background:#dcfce7;color:#14532d}.expired,.invalid{background:#fef3c7;color:#78350f}.revoked{background:#fee2e2;color:#7f1d1d}
dt{font-weight:600}dd{margin:0 0 .5em}</style></head>
<body><main>
${image ? `<img src="${escapeHtml(image)}" alt="">` : ''}
<h1>${escapeHtml(award.achievement.name)}</h1>
<p>Awarded to <strong>${escapeHtml(award.recipient.name)}</strong> by ${escapeHtml(award.issuer.name)}.</p>
<p><span class="status ${verification.status}">${STATUS_TEXT[verification.status]}</span> ${verification.reason ? escapeHtml(verification.reason) : 'The signature, dates and revocation status were checked just now.'}</p>
<p>${escapeHtml(award.achievement.description)}</p>
<dl>
<dt>Criteria</dt><dd>${escapeHtml(award.achievement.criteria.narrative)}</dd>
<dt>Issued</dt><dd>${date(award.validFrom)}</dd>
${award.validUntil ? `<dt>Valid until</dt><dd>${date(award.validUntil)}</dd>` : ''}
<dt>Credential</dt><dd><a href="${escapeHtml(award.credentialUrl)}">Open Badges 3.0 credential (VC-JWT)</a></dd>
</dl>
${evidence ? `<h2>Evidence</h2><ul>${evidence}</ul>` : ''}
</main></body></html>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; img-src http: https:; style-src 'unsafe-inline'")
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(html);
  });
}
