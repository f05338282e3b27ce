import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Authenticator } from './auth.js';
import { clock, type Database } from './db.js';
import { escapeHtml } from './html.js';
import { problems } from './problems.js';
import { DEMO_PEOPLE, type DemoPerson } from './seed.js';

export interface DemoOptions {
  db: Kysely<Database>;
  auth: Authenticator;
  defaultCommunity: string;
}

/** The strict policy a careful intranet would send: no inline script or style, Trusted Types on. */
export const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');


/**
 * Someone with no activity yet, to watch badges go from locked to earned. Not seeded: the server
 * learns about Noor at the first sign-in, like anyone an intranet sends.
 */
const NEWCOMER: DemoPerson = { id: 'noor', name: 'Noor Haddad', title: 'Graduate Engineer, day 1', lang: 'en' };
const PAGE_PEOPLE = [...DEMO_PEOPLE, NEWCOMER];

function personFor(id: unknown): DemoPerson {
  return PAGE_PEOPLE.find((p) => p.id === id) ?? DEMO_PEOPLE[2]!;
}

function page(me: DemoPerson): string {
  const options = PAGE_PEOPLE.map(
    (p) => `<option value="${p.id}"${p.id === me.id ? ' selected' : ''}>${escapeHtml(p.name)} — ${escapeHtml(p.title)}</option>`,
  ).join('');
  const tokenUrl = `/demo/token?person=${encodeURIComponent(me.id)}`;
  return `<!doctype html>
<html lang="${me.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Week 1 · Shipping your first change — Kestrel Labs Academy</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo/demo.css">
<script type="module" src="/guildkit/guildkit.js" data-api="/api" data-token-url="${escapeHtml(tokenUrl)}"></script>
</head>
<body>
<header class="topbar">
  <a class="brand" href="/">Kestrel Labs <span>Academy</span></a>
  <form class="switch" method="get" action="/">
    <label for="as">Acting as</label>
    <select id="as" name="as">${options}</select>
    <button type="submit">Switch</button>
  </form>
</header>
<main>
  <nav class="crumbs" aria-label="Breadcrumb"><a href="/">Onboarding</a> › <span aria-current="page">Week 1</span></nav>
  <h1>Week 1: Shipping your first change</h1>
  <p class="lede">Welcome to Kestrel Labs, ${escapeHtml(me.name.split(' ')[0] ?? me.name)}. This week you set up your machine,
    learn how we review code, and ship a small change to production with your buddy.
    When a lesson or a person helps you, say so: it is how this guild learns what works.</p>

  <article class="lesson" id="dev-environment">
    <h2>1. Your development environment</h2>
    <p class="byline">Written by Grace Lindqvist, Learning Designer</p>
    <p>Clone the monorepo, run the bootstrap script and open the service catalogue. Most people are done in
      under an hour; if the VPN certificate step fails, ask your buddy.</p>
    <guild-kudos-button subject="onboarding/week-1/dev-environment" recipient="grace"></guild-kudos-button>
  </article>

  <article class="lesson" id="code-review">
    <h2>2. Code review at Kestrel</h2>
    <p class="byline">Written by Ada Okafor, Staff Engineer</p>
    <p>Small changes, one reviewer who knows the area, and a checklist that fits on a card. Read the three
      example reviews and note one thing you would have asked.</p>
    <guild-kudos-button subject="onboarding/week-1/code-review" recipient="ada"></guild-kudos-button>
  </article>

  <article class="lesson" id="buddy">
    <h2>3. Ship it with your buddy</h2>
    <p class="byline">Pair with Ada, your onboarding buddy</p>
    <p>Pick a "good first change" ticket, pair on it, and watch it go through the pipeline together.</p>
    <guild-kudos-button subject="onboarding/week-1/buddy-session" recipient="ada"></guild-kudos-button>
  </article>

  <section class="discussion" id="discussion" aria-labelledby="discussion-title">
    <h2 id="discussion-title">Week 1 discussion</h2>
    <p>Ask, answer and share what you learned this week. Open this page in a second window as someone else
      (use "Acting as") and watch the conversation move in both.</p>
    <guild-discussion-thread subject="course-101/week-1" reactions="👍,🎉,💡,❤️" label="Week 1 comments"></guild-discussion-thread>
  </section>

  <section class="discussion" id="faq" aria-labelledby="faq-title">
    <h2 id="faq-title">Question: how do I set up Git signing?</h2>
    <p>A question thread: its author or a facilitator accepts the answer that worked.</p>
    <guild-discussion-thread subject="course-101/faq/git-setup" mode="question" label="Git signing question"></guild-discussion-thread>
  </section>

  <section class="recognition" aria-label="Recognition">
    <guild-spotlight community="new-joiners" period="week"></guild-spotlight>
    <guild-spotlight community="new-joiners" view="feed"></guild-spotlight>
  </section>

  <section class="knowledge" id="knowledge" aria-labelledby="knowledge-title">
    <h2 id="knowledge-title">What the guild knows</h2>
    <p>Cards written by members and kept true by experts. Each shows who verified it and when; once its
      review date passes it says "needs review" wherever it is embedded.</p>
    <guild-knowledge-card card="1"></guild-knowledge-card>
    <guild-knowledge-card tag="onboarding"></guild-knowledge-card>
    <details class="write">
      <summary>Write a card</summary>
      <guild-knowledge-card new community="new-joiners"></guild-knowledge-card>
    </details>
  </section>

  <section class="badges" id="badges" aria-labelledby="badges-title">
    <h2 id="badges-title">Your badges</h2>
    <p>Earned from what you do here: write, answer, get thanked. Each one is a signed Open Badges 3.0
      credential; open it to verify it, share it or add it to LinkedIn. Act as Noor Haddad (day 1) to
      watch them unlock.</p>
    <guild-badge-wall user="me" community="new-joiners"></guild-badge-wall>
  </section>

  <section class="badges" id="catalogue" aria-labelledby="catalogue-title">
    <h2 id="catalogue-title">The guild's badges</h2>
    <guild-badge-wall community="new-joiners"></guild-badge-wall>
  </section>

  <aside class="panel" aria-labelledby="buddy-badges">
    <h2 id="buddy-badges">Your buddy's badges</h2>
    <guild-badge-wall user="ada" community="new-joiners" hide-locked></guild-badge-wall>
  </aside>

  <aside class="panel" aria-labelledby="elsewhere">
    <h2 id="elsewhere">Discussions on this course</h2>
    <ul>
      <li><a href="#discussion">Week 1 discussion</a> · <guild-discussion-thread view="count" subject="course-101/week-1" href="#discussion"></guild-discussion-thread></li>
      <li><a href="#faq">Git signing question</a> · <guild-discussion-thread view="count" subject="course-101/faq/git-setup" href="#faq"></guild-discussion-thread></li>
    </ul>
  </aside>

  <aside class="panel" lang="de" aria-labelledby="berlin">
    <h2 id="berlin">Für das Team in Berlin</h2>
    <p>Tomás hat die Einführung ins Support-Handbuch übersetzt. Danke sagen:</p>
    <guild-kudos-button subject="onboarding/week-1/support-handbook-de" recipient="tomas"></guild-kudos-button>
  </aside>

  <aside class="panel dark" aria-labelledby="night">
    <h2 id="night">Night shift corner</h2>
    <p>The same button in the dark theme, for the on-call dashboard.</p>
    <guild-kudos-button subject="onboarding/week-1/on-call-primer" recipient="mei" theme="dark"></guild-kudos-button>
  </aside>
</main>
<footer><p>Kestrel Labs is a fictional company. This page is Guildkit's demo.</p></footer>
</body>
</html>
`;
}

export async function registerDemo(server: FastifyInstance, options: DemoOptions): Promise<void> {
  const css = await readFile(resolve('demo/demo.css'), 'utf8');

  server.get('/', (request, reply) => {
    const query = request.query as Record<string, unknown>;
    reply.header('content-security-policy', DEMO_CSP).type('text/html; charset=utf-8');
    return page(personFor(query['as']));
  });
  server.get('/demo/demo.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(css));
  server.get('/demo/people', () => ({
    items: PAGE_PEOPLE.map((p) => ({ id: p.id, name: p.name, title: p.title })),
  }));
  // "Time passes": moves the server's clock forward, so a verified card's review date can pass in a
  // demo or a test without waiting. Demo mode only; `days: 0` puts the clock back.
  server.post('/demo/clock', (request, reply) => {
    const body = request.body as Record<string, unknown> | undefined;
    const days = body?.['days'];
    if (typeof days !== 'number' || !Number.isFinite(days) || days < 0 || days > 3650) {
      throw problems.badRequest('Send { "days": n } with 0 ≤ n ≤ 3650 (0 puts the clock back).');
    }
    if (days === 0) clock.reset();
    else clock.advance(days * 86_400_000);
    reply.header('cache-control', 'no-store');
    return { now: new Date(clock.nowMs()).toISOString(), offsetDays: Math.round(clock.offsetMs / 86_400_000) };
  });
  server.get('/demo/token', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const person = PAGE_PEOPLE.find((p) => p.id === query['person']);
    if (!person) throw problems.notFound(`No sample person ${String(query['person'])}; see /demo/people.`);
    reply.header('cache-control', 'no-store');
    return { token: await options.auth.sign({ sub: person.id, name: person.name, title: person.title }) };
  });
}
