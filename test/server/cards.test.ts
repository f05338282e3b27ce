import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clock } from '../../server/db.js';
import type { GuildEvent } from '../../server/events.js';
import { addPeople, call, COMMUNITY, expectOk, expectProblem, freshSubject, makeApp, writeComment, type Schemas, type TestApp } from './helpers.js';

const PUBLIC_URL = 'https://guild.test';
type Card = Schemas['Card'];

describe('knowledge cards', () => {
  let app: TestApp;
  const events: GuildEvent[] = [];
  before(async () => {
    app = await makeApp({ publicUrl: PUBLIC_URL });
    app.events.subscribe((event) => events.push(event));
    // A member with no role anywhere, to try everything as the wrong person.
    await addPeople(app.db, ['stranger', 'expert-eve']);
  });
  after(async () => {
    clock.reset();
    await app.close();
  });

  const create = async (person: string | undefined, body: Record<string, unknown>) => call(app, person, 'POST', '/api/cards', body);
  const card = async (person: string, body: Record<string, unknown>) =>
    expectOk<Card>(await create(person, { communityId: COMMUNITY, ...body }), 'createCard', 201);
  const cardEvents = (id: string) => events.filter((e): e is Schemas['CardEvent'] => e.type === 'card.changed' && e.card.id === id);

  test('a member writes a card: version 1, unverified, its public page and experts; anonymous cannot write', async () => {
    expectProblem(await create(undefined, { title: 'T', body: 'B' }), 401, 'unauthorized', 'createCard');
    expectProblem(await create('linus', { title: 'T', body: 'B', communityId: 'nowhere' }), 404, 'not-found', 'createCard');
    expectProblem(await create('linus', { title: '   ', body: 'B', communityId: COMMUNITY }), 422, 'empty-field', 'createCard');
    expectProblem(await create('linus', { title: 'T', body: 'B', communityId: COMMUNITY, experts: ['nobody'] }), 422, 'unknown-expert', 'createCard');
    const made = await card('linus', { title: 'Reset your laptop', summary: 'When the disk fills up.', body: 'Run **cleanup**.', tags: ['laptop', 'onboarding'], experts: ['expert-eve'] });
    assert.equal(made.version, 1);
    assert.equal(made.status, 'published');
    assert.equal(made.trust.state, 'unverified');
    assert.equal(made.url, `${PUBLIC_URL}/cards/${made.id}`);
    assert.deepEqual(made.experts.map((p) => p.id), ['expert-eve']);
    assert.equal(made.reviewIntervalDays, 90, "the community's interval");
    assert.equal(cardEvents(made.id).at(-1)?.action, 'created');
  });

  test('who edits: author, experts and facilitators; strangers get 403, anonymous 401; experts are chosen by author and facilitators only', async () => {
    const made = await card('linus', { title: 'Who edits', body: 'v1', experts: ['expert-eve'] });
    const url = `/api/cards/${made.id}`;
    expectProblem(await call(app, undefined, 'PATCH', url, { baseVersion: 1, body: 'x' }), 401, 'unauthorized', 'updateCard');
    expectProblem(await call(app, 'stranger', 'PATCH', url, { baseVersion: 1, body: 'x' }), 403, 'forbidden', 'updateCard');
    const byExpert = expectOk<Card>(await call(app, 'expert-eve', 'PATCH', url, { baseVersion: 1, body: 'v2 by the expert' }), 'updateCard');
    assert.equal(byExpert.version, 2);
    assert.equal(byExpert.lastEditor?.id, 'expert-eve');
    const byFacilitator = expectOk<Card>(await call(app, 'ada', 'PATCH', url, { baseVersion: 2, body: 'v3 by a facilitator' }), 'updateCard');
    assert.equal(byFacilitator.version, 3);
    expectProblem(await call(app, 'expert-eve', 'PATCH', url, { baseVersion: 3, experts: [] }), 403, 'forbidden', 'updateCard');
    const managed = expectOk<Card>(await call(app, 'linus', 'PATCH', url, { baseVersion: 3, experts: ['expert-eve', 'grace'] }), 'updateCard');
    assert.deepEqual(managed.experts.map((p) => p.id).sort(), ['expert-eve', 'grace']);
    assert.equal(managed.version, 3, 'changing experts is not a new version of the text');
  });

  test('a save on top of a version you did not see is refused (409) and nothing is written, also when two race', async () => {
    const made = await card('linus', { title: 'Race', body: 'v1' });
    const url = `/api/cards/${made.id}`;
    expectOk(await call(app, 'linus', 'PATCH', url, { baseVersion: 1, body: 'v2 from one tab' }), 'updateCard');
    const stale = expectProblem(await call(app, 'linus', 'PATCH', url, { baseVersion: 1, body: 'v2 from another tab' }), 409, 'version-conflict', 'updateCard');
    assert.match(stale.detail ?? '', /version 2/);
    const read = expectOk<Card>(await call(app, undefined, 'GET', url), 'getCard');
    assert.equal(read.body, 'v2 from one tab');
    const racing = await Promise.all([
      call(app, 'linus', 'PATCH', url, { baseVersion: 2, body: 'left' }),
      call(app, 'ada', 'PATCH', url, { baseVersion: 2, body: 'right' }),
    ]);
    assert.deepEqual(racing.map((r) => r.statusCode).sort(), [200, 409]);
    const versions = expectOk<Schemas['CardVersionPage']>(await call(app, undefined, 'GET', `${url}/versions`), 'listCardVersions');
    assert.deepEqual(versions.items.map((v) => v.version), [3, 2, 1], 'every save is one version, newest first');
    assert.equal(versions.items[2]?.body, 'v1');
  });

  test('drafts: seen by author, experts and facilitators only; 404 to others; no event until published', async () => {
    const draft = await card('linus', { title: 'Draft', body: 'Not yet', status: 'draft', experts: ['expert-eve'] });
    const url = `/api/cards/${draft.id}`;
    assert.equal(draft.status, 'draft');
    assert.equal(cardEvents(draft.id).length, 0, 'drafts never travel on the public stream');
    expectProblem(await call(app, undefined, 'GET', url), 404, 'not-found', 'getCard');
    expectProblem(await call(app, 'stranger', 'GET', url), 404, 'not-found', 'getCard');
    for (const person of ['linus', 'expert-eve', 'ada']) expectOk(await call(app, person, 'GET', url), 'getCard');
    const listed = expectOk<Schemas['CardPage']>(await call(app, 'stranger', 'GET', `/api/cards?ids=${draft.id}`), 'listCards');
    assert.equal(listed.items.length, 0);
    expectProblem(await call(app, undefined, 'GET', '/api/cards?status=draft'), 401, 'unauthorized', 'listCards');
    const mine = expectOk<Schemas['CardPage']>(await call(app, 'expert-eve', 'GET', '/api/cards?status=draft'), 'listCards');
    assert.ok(mine.items.some((c) => c.id === draft.id));
    const strangers = expectOk<Schemas['CardPage']>(await call(app, 'stranger', 'GET', '/api/cards?status=draft'), 'listCards');
    assert.ok(!strangers.items.some((c) => c.id === draft.id));
    expectProblem(await call(app, 'expert-eve', 'POST', `${url}/verifications`, {}), 409, 'card-draft', 'verifyCard');
    const published = expectOk<Card>(await call(app, 'linus', 'PATCH', url, { baseVersion: 1, status: 'published' }), 'updateCard');
    assert.equal(published.status, 'published');
    assert.equal(cardEvents(draft.id).at(-1)?.action, 'created');
    expectOk(await call(app, undefined, 'GET', url), 'getCard');
  });

  test('verify: experts and facilitators only; sets the review date; after it passes the card needs review', async () => {
    const made = await card('linus', { title: 'Verify me', body: 'True today', experts: ['expert-eve'], reviewIntervalDays: 30 });
    const url = `/api/cards/${made.id}/verifications`;
    expectProblem(await call(app, undefined, 'POST', url, {}), 401, 'unauthorized', 'verifyCard');
    expectProblem(await call(app, 'stranger', 'POST', url, {}), 403, 'forbidden', 'verifyCard');
    expectProblem(await call(app, 'linus', 'POST', url, {}), 403, 'forbidden', 'verifyCard');
    const verified = expectOk<Card>(await call(app, 'expert-eve', 'POST', url, {}), 'verifyCard', 201);
    assert.equal(verified.trust.state, 'verified');
    assert.equal(verified.trust.verifiedBy?.id, 'expert-eve');
    const days = (Date.parse(verified.trust.reviewBy ?? '') - Date.parse(verified.trust.verifiedAt ?? '')) / 86_400_000;
    assert.equal(days, 30);
    assert.equal(cardEvents(made.id).at(-1)?.action, 'verified');
    expectOk(await call(app, 'grace', 'POST', url, { reviewIntervalDays: 60 }), 'verifyCard', 201);

    clock.advance(61 * 86_400_000);
    try {
      const later = expectOk<Card>(await call(app, undefined, 'GET', `/api/cards/${made.id}`), 'getCard');
      assert.equal(later.trust.state, 'needs-review');
      const again = expectOk<Card>(await call(app, 'expert-eve', 'POST', url, {}), 'verifyCard', 201);
      assert.equal(again.trust.state, 'verified');
    } finally {
      clock.reset();
    }
  });

  test('an edit by someone who may not verify undoes the verification; an expert edit keeps it', async () => {
    const made = await card('linus', { title: 'Trust and edits', body: 'v1', experts: ['expert-eve'] });
    expectOk(await call(app, 'expert-eve', 'POST', `/api/cards/${made.id}/verifications`, {}), 'verifyCard', 201);
    const byExpert = expectOk<Card>(await call(app, 'expert-eve', 'PATCH', `/api/cards/${made.id}`, { baseVersion: 1, body: 'v2' }), 'updateCard');
    assert.equal(byExpert.trust.state, 'verified');
    const byAuthor = expectOk<Card>(await call(app, 'linus', 'PATCH', `/api/cards/${made.id}`, { baseVersion: 2, body: 'v3' }), 'updateCard');
    assert.equal(byAuthor.trust.state, 'unverified');
  });

  test('anyone signed in flags a card outdated with a reason; the event names author and experts; verifying clears it', async () => {
    const made = await card('linus', { title: 'Flag me', body: 'Old', experts: ['expert-eve'] });
    const url = `/api/cards/${made.id}/flags`;
    expectProblem(await call(app, undefined, 'POST', url, { reason: 'x' }), 401, 'unauthorized', 'flagCard');
    expectProblem(await call(app, 'stranger', 'POST', url, { reason: '   ' }), 422, 'reason-required', 'flagCard');
    const flagged = expectOk<Card>(await call(app, 'stranger', 'POST', url, { reason: 'The command was renamed.' }), 'flagCard', 201);
    assert.equal(flagged.trust.state, 'outdated');
    assert.equal(flagged.trust.flagReason, 'The command was renamed.');
    assert.equal(flagged.trust.flaggedBy?.id, 'stranger');
    const event = cardEvents(made.id).at(-1);
    assert.equal(event?.action, 'flagged');
    assert.equal(event?.card.author.id, 'linus');
    assert.deepEqual(event?.card.experts.map((p) => p.id), ['expert-eve']);
    const fixed = expectOk<Card>(await call(app, 'expert-eve', 'POST', `/api/cards/${made.id}/verifications`, {}), 'verifyCard', 201);
    assert.equal(fixed.trust.state, 'verified');
    assert.equal(fixed.trust.flagReason, undefined);
  });

  test('helpful votes: one per person, changeable; views counted once per person per day', async () => {
    const made = await card('linus', { title: 'Votes', body: 'Helpful?' });
    const vote = `/api/cards/${made.id}/vote`;
    expectProblem(await call(app, undefined, 'PUT', vote, { helpful: true }), 401, 'unauthorized', 'voteCard');
    expectOk(await call(app, 'mei', 'PUT', vote, { helpful: true }), 'voteCard');
    expectOk(await call(app, 'mei', 'PUT', vote, { helpful: true }), 'voteCard');
    const changed = expectOk<Card>(await call(app, 'grace', 'PUT', vote, { helpful: false }), 'voteCard');
    assert.deepEqual(changed.helpful, { yes: 1, no: 1, myVote: false });
    const flipped = expectOk<Card>(await call(app, 'grace', 'PUT', vote, { helpful: true }), 'voteCard');
    assert.deepEqual(flipped.helpful, { yes: 2, no: 0, myVote: true });

    const views = `/api/cards/${made.id}/views`;
    const anonymous = expectOk<{ views: number; counted: boolean }>(await call(app, undefined, 'POST', views), 'recordCardView');
    assert.deepEqual(anonymous, { views: 0, counted: false });
    assert.deepEqual(expectOk(await call(app, 'mei', 'POST', views), 'recordCardView'), { views: 1, counted: true });
    assert.deepEqual(expectOk(await call(app, 'mei', 'POST', views), 'recordCardView'), { views: 1, counted: false });
    const racing = await Promise.all(Array.from({ length: 20 }, () => call(app, 'grace', 'POST', views)));
    assert.equal(racing.filter((r) => (JSON.parse(r.body) as { counted: boolean }).counted).length, 1, 'twenty at once count once');
    clock.advance(86_400_000);
    try {
      assert.deepEqual(expectOk(await call(app, 'mei', 'POST', views), 'recordCardView'), { views: 3, counted: true });
    } finally {
      clock.reset();
    }
  });

  test('from discussion to card: only from the accepted answer, whose author is credited; the thread finds its card', async () => {
    const subject = freshSubject('q');
    await writeComment(app, 'linus', { subject, body: 'How do I rotate my SSH key?', mode: 'question' });
    const answer = await writeComment(app, 'grace', { subject, body: 'Run `ssh-keygen` then update your profile.' });
    const other = await writeComment(app, 'mei', { subject, body: 'No idea.' });
    const draft = { title: 'How do I rotate my SSH key?', body: answer.body, sourceSubject: subject, status: 'draft' };
    expectProblem(await create('linus', { ...draft, sourceCommentId: answer.id }), 422, 'not-accepted-answer', 'createCard');
    expectOk(await call(app, 'linus', 'PATCH', `/api/threads?subject=${encodeURIComponent(subject)}`, { acceptedCommentId: answer.id }), 'updateThread');
    expectProblem(await create('linus', { ...draft, sourceCommentId: other.id }), 422, 'not-accepted-answer', 'createCard');
    expectProblem(await create('linus', { ...draft, sourceSubject: undefined, sourceCommentId: answer.id }), 422, 'source-subject-required', 'createCard');
    const made = await card('linus', { ...draft, sourceCommentId: answer.id });
    assert.equal(made.credited?.id, 'grace');
    assert.equal(made.sourceCommentId, answer.id);
    const drafts = expectOk<Schemas['CardPage']>(await call(app, undefined, 'GET', `/api/cards?sourceSubject=${encodeURIComponent(subject)}`), 'listCards');
    assert.equal(drafts.items.length, 0, 'a draft is not linked from the thread yet');
    expectOk(await call(app, 'linus', 'PATCH', `/api/cards/${made.id}`, { baseVersion: 1, status: 'published' }), 'updateCard');
    const linked = expectOk<Schemas['CardPage']>(await call(app, undefined, 'GET', `/api/cards?sourceSubject=${encodeURIComponent(subject)}`), 'listCards');
    assert.deepEqual(linked.items.map((c) => c.id), [made.id]);
  });

  test('tag listing, related cards by shared tags, and batch reads by id', async () => {
    const a = await card('mei', { title: 'A', body: 'a', tags: ['rel-x', 'rel-y'] });
    const b = await card('mei', { title: 'B', body: 'b', tags: ['rel-x', 'rel-y'] });
    const c = await card('mei', { title: 'C', body: 'c', tags: ['rel-x'] });
    await card('mei', { title: 'D', body: 'd', tags: ['other'] });
    const tagged = expectOk<Schemas['CardPage']>(await call(app, undefined, 'GET', '/api/cards?tag=rel-y'), 'listCards');
    assert.deepEqual(tagged.items.map((x) => x.id), [b.id, a.id]);
    const related = expectOk<Schemas['CardPage']>(await call(app, undefined, 'GET', `/api/cards?related=${a.id}`), 'listCards');
    assert.deepEqual(related.items.map((x) => x.id), [b.id, c.id], 'most shared tags first, never the card itself');
    const batch = expectOk<Schemas['CardPage']>(await call(app, undefined, 'GET', `/api/cards?ids=${c.id},${a.id},999999`), 'listCards');
    assert.deepEqual(batch.items.map((x) => x.id), [c.id, a.id]);
  });

  test('public page and oEmbed: read-only, escaped, drafts never shown', async () => {
    const made = await card('linus', { title: '<script>alert(1)</script> Title', summary: '"quoted" & <b>bold</b>', body: 'Body <img src=x onerror=alert(1)>' });
    const page = await call(app, undefined, 'GET', `/cards/${made.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.doesNotMatch(page.body, /<script>alert|<img src=x|<b>bold/);
    assert.match(page.body, /application\/json\+oembed/);
    assert.match(page.body, new RegExp(`<guild-knowledge-card card="${made.id}"`));
    const embed = await call(app, undefined, 'GET', `/cards/${made.id}?embed=1`);
    assert.match(String(embed.headers['content-security-policy']), /frame-ancestors \*/);

    const oembed = expectOk<Schemas['OEmbed']>(
      await call(app, undefined, 'GET', `/api/oembed?url=${encodeURIComponent(made.url)}&format=json&maxwidth=400`),
      'getOEmbed',
    );
    assert.equal(oembed.type, 'rich');
    assert.equal(oembed.width, 400);
    assert.match(oembed.html, new RegExp(`src="${PUBLIC_URL}/cards/${made.id}\\?embed=1"`));
    assert.doesNotMatch(oembed.html, /<script>/);
    expectProblem(await call(app, undefined, 'GET', `/api/oembed?url=${encodeURIComponent('https://elsewhere.test/cards/1')}`), 404, 'not-found', 'getOEmbed');

    const draft = await card('linus', { title: 'Secret draft', body: 'x', status: 'draft' });
    assert.equal((await call(app, undefined, 'GET', `/cards/${draft.id}`)).statusCode, 404);
    expectProblem(await call(app, undefined, 'GET', `/api/oembed?url=${encodeURIComponent(draft.url)}`), 404, 'not-found', 'getOEmbed');
  });

  test('cards written and verified earn the knowledge badges', async () => {
    await addPeople(app.db, ['writer', 'keeper']);
    for (let n = 0; n < 3; n += 1) {
      const made = await card('writer', { title: `Card ${n}`, body: 'Knowledge', experts: ['keeper'] });
      expectOk(await call(app, 'keeper', 'POST', `/api/cards/${made.id}/verifications`, {}), 'verifyCard', 201);
    }
    const writer = expectOk<Schemas['BadgeWall']>(await call(app, undefined, 'GET', `/api/people/writer/badges?community=${COMMUNITY}`), 'getBadgeWall');
    assert.ok(writer.earned.some((a) => a.achievement.id === `${COMMUNITY}.author`));
    const keeper = expectOk<Schemas['BadgeWall']>(await call(app, undefined, 'GET', `/api/people/keeper/badges?community=${COMMUNITY}`), 'getBadgeWall');
    assert.ok(keeper.earned.some((a) => a.achievement.id === `${COMMUNITY}.knowledge-keeper`));
  });
});
