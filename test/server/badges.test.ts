import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { clock } from '../../server/db.js';
import type { GuildEvent } from '../../server/events.js';
import { evaluateAwards } from '../../server/handlers/badges.js';
import {
  addPeople,
  call,
  COMMUNITY,
  expectOk,
  expectProblem,
  freshSubject,
  give,
  makeApp,
  writeComment,
  type Schemas,
  type TestApp,
} from './helpers.js';
import { validateOpenBadgeCredential, validateVcJwtPayload } from './ob3-schema.js';

const PUBLIC_URL = 'https://guild.test';

type Wall = Schemas['BadgeWall'];
type Award = Schemas['Award'];

async function wall(app: TestApp, personId: string, viewer?: string): Promise<Wall> {
  return expectOk<Wall>(await call(app, viewer, 'GET', `/api/people/${personId}/badges?community=${COMMUNITY}`), 'getBadgeWall');
}

function earned(w: Wall, slug: string): Award | undefined {
  return w.earned.find((a) => a.achievement.id === `${COMMUNITY}.${slug}`);
}

async function credentialOf(app: TestApp, awardId: string): Promise<string> {
  const response = await call(app, undefined, 'GET', `/api/awards/${awardId}/credential`);
  assert.equal(response.statusCode, 200, response.body);
  assert.match(String(response.headers['content-type']), /^application\/vc\+jwt\b/);
  return response.body;
}

async function keySet(app: TestApp) {
  return expectOk<Schemas['JwkSet']>(await call(app, undefined, 'GET', `/api/issuers/${COMMUNITY}/jwks`), 'getIssuerKeys');
}

function payloadOf(jws: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Bit `index` of the community's published status list, read as any verifier would. */
async function statusBit(app: TestApp, index: number): Promise<number> {
  const response = await call(app, undefined, 'GET', `/api/issuers/${COMMUNITY}/status-list`);
  assert.equal(response.statusCode, 200, response.body);
  const { payload } = await compactVerify(response.body, createLocalJWKSet(await keySet(app)), { algorithms: ['EdDSA'] });
  const list = JSON.parse(new TextDecoder().decode(payload)) as { type: string[]; credentialSubject: { encodedList: string; statusPurpose: string } };
  assert.deepEqual(list.type, ['VerifiableCredential', 'BitstringStatusListCredential']);
  assert.equal(list.credentialSubject.statusPurpose, 'revocation');
  assert.ok(list.credentialSubject.encodedList.startsWith('u'), 'multibase base64url');
  const bytes = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
  assert.ok(bytes.length >= 16_384, 'at least 131,072 entries (herd privacy)');
  return ((bytes[index >> 3] ?? 0) >> (7 - (index & 7))) & 1;
}

async function verification(app: TestApp, awardId: string) {
  return expectOk<Schemas['CredentialVerification']>(await call(app, undefined, 'GET', `/api/awards/${awardId}/verification`), 'verifyAward');
}

describe('badges', () => {
  let app: TestApp;
  const events: GuildEvent[] = [];
  before(async () => {
    app = await makeApp({ publicUrl: PUBLIC_URL });
    app.events.subscribe((event) => events.push(event));
  });
  after(async () => {
    clock.reset();
    await app.close();
  });

  test('a first comment earns "First contribution" at once, as a valid, signed Open Badges 3.0 credential', async () => {
    await addPeople(app.db, ['linus2']);
    const before = await wall(app, 'linus2');
    assert.ok(!earned(before, 'first-contribution'));
    assert.ok(before.locked.some((a) => a.id === `${COMMUNITY}.first-contribution`), 'locked before any comment');

    await writeComment(app, 'linus2', { subject: freshSubject('badge'), body: 'My first question here' });
    const after = await wall(app, 'linus2');
    const award = earned(after, 'first-contribution');
    assert.ok(award, 'earned right after the comment');
    assert.equal(award.result.status, 'Completed');
    assert.equal(award.issuer.id, `${PUBLIC_URL}/api/issuers/${COMMUNITY}`);
    assert.equal(award.verificationUrl, `${PUBLIC_URL}/badges/${award.id}`);
    assert.equal(award.awardedBy, undefined, 'awarded by the server, not by hand');
    const created = events.filter((e) => e.type === 'award.changed' && e.action === 'created' && e.award.id === award.id);
    assert.equal(created.length, 1, 'one live event for the award');

    const jws = await credentialOf(app, award.id);
    const header = decodeProtectedHeader(jws);
    const payload = payloadOf(jws);
    const schema = validateOpenBadgeCredential(payload);
    assert.ok(schema.valid, schema.valid ? '' : schema.errors.join('\n'));
    const rules = validateVcJwtPayload(header, payload);
    assert.ok(rules.valid, rules.valid ? '' : rules.errors.join('\n'));
    const { payload: verified } = await compactVerify(jws, createLocalJWKSet(await keySet(app)), { algorithms: ['EdDSA'] });
    assert.deepEqual(JSON.parse(new TextDecoder().decode(verified)), payload, 'the signature covers the credential');
    assert.equal(payload['id'], `urn:uuid:${award.id}`);
    assert.equal((payload['credentialSubject'] as { id: string }).id, `${PUBLIC_URL}/api/people/linus2`);

    const index = Number((payload['credentialStatus'] as { statusListIndex: string }).statusListIndex);
    assert.equal(await statusBit(app, index), 0, 'not revoked');
    const verdict = await verification(app, award.id);
    assert.equal(verdict.status, 'verified');
    assert.deepEqual(verdict.checks.map((c) => [c.check, c.passed]), [['signature', true], ['issuer', true], ['validity', true], ['revocation', true]]);
  });

  test('every credential the server issues validates against the Open Badges 3.0 rules and verifies', async () => {
    const rows = await app.db.selectFrom('awards').select(['id', 'credential']).execute();
    assert.ok(rows.length > 0);
    const keys = createLocalJWKSet(await keySet(app));
    for (const row of rows) {
      const payload = payloadOf(row.credential);
      const schema = validateOpenBadgeCredential(payload);
      assert.ok(schema.valid, schema.valid ? '' : `${row.id}: ${schema.errors.join('\n')}`);
      const rules = validateVcJwtPayload(decodeProtectedHeader(row.credential), payload);
      assert.ok(rules.valid, rules.valid ? '' : `${row.id}: ${rules.errors.join('\n')}`);
      await compactVerify(row.credential, keys, { algorithms: ['EdDSA'] });
    }
  });

  test('progress shows as in progress with current and target, and moves to earned when the target is reached', async () => {
    await addPeople(app.db, ['pat']);
    const subjects = [freshSubject('q'), freshSubject('q'), freshSubject('q')];
    for (const [n, subject] of subjects.entries()) {
      await writeComment(app, 'mei', { subject, body: `Question ${n}?`, mode: 'question' });
    }
    const answers = [];
    for (const subject of subjects) answers.push(await writeComment(app, 'pat', { subject, body: 'Here is how.' }));
    assert.equal(wallProgress(await wall(app, 'pat'), 'problem-solver'), undefined, 'no accepted answer yet: locked');
    // Pat's own question, answered and accepted by Pat: it counts for nothing.
    const own = freshSubject('q');
    await writeComment(app, 'pat', { subject: own, body: 'My own question?', mode: 'question' });
    const ownAnswer = await writeComment(app, 'pat', { subject: own, body: 'My own answer.' });
    const selfAccepted = await call(app, 'pat', 'PATCH', `/api/threads?subject=${encodeURIComponent(own)}`, { acceptedCommentId: ownAnswer.id });
    assert.equal(selfAccepted.statusCode, 200, selfAccepted.body);
    assert.equal(wallProgress(await wall(app, 'pat'), 'problem-solver'), undefined, 'a self-accepted answer does not count');

    for (const [n, answer] of answers.entries()) {
      const accepted = await call(app, 'mei', 'PATCH', `/api/threads?subject=${encodeURIComponent(answer.subject)}`, { acceptedCommentId: answer.id });
      assert.equal(accepted.statusCode, 200, accepted.body);
      const w = await wall(app, 'pat');
      if (n < 2) {
        assert.deepEqual(wallProgress(w, 'problem-solver'), { current: n + 1, target: 3 });
        assert.ok(!earned(w, 'problem-solver'));
      } else {
        const award = earned(w, 'problem-solver');
        assert.ok(award, 'earned at the third accepted answer');
        assert.ok(award.validUntil, 'problem solver expires after a year');
        assert.equal(wallProgress(w, 'problem-solver'), undefined);
      }
    }
  });

  test('an expired award is reported as expired by the wall and the verification, once time passes', async () => {
    const award = earned(await wall(app, 'pat'), 'problem-solver');
    assert.ok(award?.validUntil);
    clock.advance(366 * 86_400_000);
    try {
      assert.equal(earned(await wall(app, 'pat'), 'problem-solver')?.result.status, 'Expired');
      const verdict = await verification(app, award.id);
      assert.equal(verdict.status, 'expired');
      assert.match(verdict.reason ?? '', /expired/i);
    } finally {
      clock.reset();
    }
  });

  test('facilitators award by hand with evidence; others cannot; an award is never issued twice', async () => {
    const body = {
      achievementId: `${COMMUNITY}.community-champion`,
      recipientId: 'tomas',
      evidence: [{ id: 'https://intranet.example/onboarding-guide', name: 'The onboarding guide', narrative: 'Rewrote it for the Berlin office.' }],
    };
    expectProblem(await call(app, undefined, 'POST', '/api/awards', body), 401, 'unauthorized', 'createAward');
    expectProblem(await call(app, 'linus', 'POST', '/api/awards', body), 403, 'forbidden', 'createAward');
    expectProblem(
      await call(app, 'ada', 'POST', '/api/awards', { ...body, evidence: [{ id: 'javascript:alert(1)' }] }),
      422,
      'unsafe-evidence',
      'createAward',
    );
    expectProblem(await call(app, 'ada', 'POST', '/api/awards', { ...body, achievementId: `${COMMUNITY}.nope` }), 404, 'not-found', 'createAward');
    expectProblem(await call(app, 'ada', 'POST', '/api/awards', { ...body, recipientId: 'nobody' }), 404, 'not-found', 'createAward');
    const award = expectOk<Award>(await call(app, 'ada', 'POST', '/api/awards', body), 'createAward', 201);
    assert.equal(award.awardedBy?.id, 'ada');
    assert.deepEqual(award.evidence, body.evidence);
    expectProblem(await call(app, 'grace', 'POST', '/api/awards', body), 409, 'already-awarded', 'createAward');
    const payload = payloadOf(await credentialOf(app, award.id));
    assert.deepEqual((payload['evidence'] as { type: string[] }[])[0]?.type, ['Evidence']);
  });

  test('revocation: facilitators only, with a reason; the status list, the verification and the wall all say revoked', async () => {
    const award = earned(await wall(app, 'tomas'), 'community-champion');
    assert.ok(award);
    const url = `/api/awards/${award.id}/revocation`;
    expectProblem(await call(app, undefined, 'PUT', url, { reason: 'x' }), 401, 'unauthorized', 'revokeAward');
    expectProblem(await call(app, 'tomas', 'PUT', url, { reason: 'I want it gone' }), 403, 'forbidden', 'revokeAward');
    expectProblem(await call(app, 'grace', 'PUT', url, { reason: '   ' }), 422, 'reason-required', 'revokeAward');
    expectProblem(await call(app, 'grace', 'PUT', url, {}), 400, 'invalid-request', 'revokeAward');
    const index = Number((payloadOf(await credentialOf(app, award.id))['credentialStatus'] as { statusListIndex: string }).statusListIndex);
    assert.equal(await statusBit(app, index), 0);

    const revoked = expectOk<Award>(await call(app, 'grace', 'PUT', url, { reason: 'Awarded to the wrong person' }), 'revokeAward');
    assert.equal(revoked.result.status, 'Revoked');
    assert.equal(revoked.result.revocationReason, 'Awarded to the wrong person');
    assert.equal(await statusBit(app, index), 1, 'the published list says revoked');
    const verdict = await verification(app, award.id);
    assert.equal(verdict.status, 'revoked');
    assert.match(verdict.reason ?? '', /wrong person/);
    assert.equal(earned(await wall(app, 'tomas'), 'community-champion')?.result.status, 'Revoked');
    assert.ok(events.some((e) => e.type === 'award.changed' && e.action === 'revoked' && e.award.id === award.id));

    const again = expectOk<Award>(await call(app, 'ada', 'PUT', url, { reason: 'Another reason' }), 'revokeAward');
    assert.equal(again.result.revocationReason, 'Awarded to the wrong person', 'the first revocation stands');
    const recent = expectOk<Schemas['AwardPage']>(await call(app, undefined, 'GET', `/api/awards?community=${COMMUNITY}`), 'listAwards');
    assert.ok(!recent.items.some((a) => a.id === award.id), 'revoked awards leave the celebration list');
  });

  test('a tampered credential does not verify', async () => {
    const award = earned(await wall(app, 'linus2'), 'first-contribution');
    assert.ok(award);
    const row = await app.db.selectFrom('awards').select('credential').where('id', '=', award.id).executeTakeFirstOrThrow();
    const [header, , signature] = row.credential.split('.');
    const changed = { ...payloadOf(row.credential), name: 'Grand master' };
    const tampered = [header, Buffer.from(JSON.stringify(changed)).toString('base64url'), signature].join('.');
    await app.db.updateTable('awards').set({ credential: tampered }).where('id', '=', award.id).execute();
    try {
      const verdict = await verification(app, award.id);
      assert.equal(verdict.status, 'invalid');
      assert.deepEqual(verdict.checks[0]?.check, 'signature');
      assert.equal(verdict.checks[0]?.passed, false);
    } finally {
      await app.db.updateTable('awards').set({ credential: row.credential }).where('id', '=', award.id).execute();
    }
  });

  test('200 concurrent qualifying kudos for one person produce exactly one award', async () => {
    const givers = Array.from({ length: 200 }, (_, n) => `storm-giver-${n}`);
    await addPeople(app.db, [...givers, 'storm-target']);
    const subject = freshSubject('storm');
    const responses = await Promise.all(
      givers.map((giver, n) => give(app, giver, { subject: `${subject}/${n}`, recipientId: 'storm-target', communityId: COMMUNITY })),
    );
    assert.deepEqual([...new Set(responses.map((r) => r.statusCode))], [201]);
    const rows = await app.db.selectFrom('awards').select('id').where('recipient_id', '=', 'storm-target').where('achievement_id', '=', `${COMMUNITY}.helpful`).execute();
    assert.equal(rows.length, 1);
    const announced = events.filter((e) => e.type === 'award.changed' && e.award.recipient.id === 'storm-target' && e.award.achievement.id === `${COMMUNITY}.helpful`);
    assert.equal(announced.length, 1, 'announced once');

    // The evaluation itself, 200 times at once for a person who qualifies: still one award.
    await addPeople(app.db, ['storm-two']);
    for (let n = 0; n < 5; n += 1) {
      await app.db.insertInto('kudos').values({
        subject: `${subject}/direct/${n}`, giver_id: givers[n] ?? 'ada', recipient_id: 'storm-two', community_id: COMMUNITY,
        message: null, value: null, status: 'given', decline_message: null, created_at: new Date().toISOString(),
      }).execute();
    }
    const results = await Promise.all(Array.from({ length: 200 }, () => evaluateAwards(app.context, 'storm-two', COMMUNITY, ['kudos-received'])));
    assert.equal(results.flat().length, 1, 'one evaluation awarded it, 199 found it taken');
    const two = await app.db.selectFrom('awards').select('id').where('recipient_id', '=', 'storm-two').execute();
    assert.equal(two.length, 1);
  });

  test('a promotion to facilitator earns "Facilitator"', async () => {
    await addPeople(app.db, ['newfac']);
    const joined = await call(app, 'newfac', 'PUT', `/api/communities/${COMMUNITY}/members/me`, { role: 'member' });
    assert.equal(joined.statusCode, 200, joined.body);
    assert.ok(!earned(await wall(app, 'newfac'), 'facilitator'));
    const promoted = await call(app, 'ada', 'PUT', `/api/communities/${COMMUNITY}/members/newfac`, { role: 'facilitator' });
    assert.equal(promoted.statusCode, 200, promoted.body);
    assert.ok(earned(await wall(app, 'newfac'), 'facilitator'));
  });

  test('several walls in one request, in the order asked, unknown people left out, `me` the caller', async () => {
    const url = `/api/badge-walls?people=linus2,nobody,me,pat&community=${COMMUNITY}`;
    const anonymous = expectOk<{ items: Wall[] }>(await call(app, undefined, 'GET', url), 'listBadgeWalls');
    assert.deepEqual(anonymous.items.map((w) => w.person.id), ['linus2', 'pat']);
    const signed = expectOk<{ items: Wall[] }>(await call(app, 'mei', 'GET', url), 'listBadgeWalls');
    assert.deepEqual(signed.items.map((w) => w.person.id), ['linus2', 'mei', 'pat']);
    expectProblem(await call(app, undefined, 'GET', '/api/badge-walls?people=a&community=nowhere'), 404, 'not-found', 'listBadgeWalls');
  });

  test('the catalogue counts who earned each badge, filters by category and pages', async () => {
    const all = expectOk<Schemas['AchievementPage']>(await call(app, undefined, 'GET', `/api/achievements?community=${COMMUNITY}&limit=100`), 'listAchievements');
    assert.ok(all.items.length >= 6);
    const first = all.items.find((a) => a.id === `${COMMUNITY}.first-contribution`);
    assert.ok((first?.earnedCount ?? 0) >= 2, 'linus2 and pat');
    assert.deepEqual(first?.measure, { kind: 'comments', target: 1 });
    const recognition = expectOk<Schemas['AchievementPage']>(
      await call(app, undefined, 'GET', `/api/achievements?community=${COMMUNITY}&category=recognition`),
      'listAchievements',
    );
    assert.deepEqual(recognition.items.map((a) => a.id), [`${COMMUNITY}.helpful`, `${COMMUNITY}.mentor`]);
    const page1 = expectOk<Schemas['AchievementPage']>(await call(app, undefined, 'GET', `/api/achievements?community=${COMMUNITY}&limit=4`), 'listAchievements');
    assert.ok(page1.nextCursor);
    const page2 = expectOk<Schemas['AchievementPage']>(
      await call(app, undefined, 'GET', `/api/achievements?community=${COMMUNITY}&limit=100&cursor=${page1.nextCursor}`),
      'listAchievements',
    );
    assert.deepEqual([...page1.items, ...page2.items].map((a) => a.id), all.items.map((a) => a.id));
  });

  test('issuer profile, keys and the public verification page need no sign-in', async () => {
    const profile = expectOk<Schemas['IssuerProfile']>(await call(app, undefined, 'GET', `/api/issuers/${COMMUNITY}`), 'getIssuer');
    assert.equal(profile.id, `${PUBLIC_URL}/api/issuers/${COMMUNITY}`);
    assert.deepEqual(profile.type, ['Profile']);
    const keys = await keySet(app);
    assert.ok(keys.keys[0]?.kid.startsWith(`${PUBLIC_URL}/api/issuers/${COMMUNITY}/jwks#`), 'kid is a URI that resolves to the key');
    expectProblem(await call(app, undefined, 'GET', '/api/issuers/nowhere/jwks'), 404, 'not-found', 'getIssuerKeys');
    expectProblem(await call(app, undefined, 'GET', '/api/awards/nope/credential'), 404, 'not-found', 'getCredential');

    const award = earned(await wall(app, 'linus2'), 'first-contribution');
    assert.ok(award);
    const page = await call(app, undefined, 'GET', `/badges/${award.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    assert.match(page.body, /Verified/);
    assert.match(page.body, /First contribution/);
    const image = await call(app, undefined, 'GET', '/badges/images/helpful.svg');
    assert.equal(image.statusCode, 200);
    assert.match(String(image.headers['content-type']), /^image\/svg\+xml/);
    assert.doesNotMatch(image.body, /<script|href=/i);
  });

  test('badge text on the public page is text, never markup', async () => {
    await addPeople(app.db, ['hostile']);
    await app.db.updateTable('people').set({ name: '<img src=x onerror=alert(1)>' }).where('id', '=', 'hostile').execute();
    const award = expectOk<Award>(
      await call(app, 'ada', 'POST', '/api/awards', {
        achievementId: `${COMMUNITY}.community-champion`,
        recipientId: 'hostile',
        evidence: [{ id: 'https://example.test/a?q=1&b=2', name: '<b>bold</b>', narrative: '<script>alert(1)</script>' }],
      }),
      'createAward',
      201,
    );
    const page = await call(app, undefined, 'GET', `/badges/${award.id}`);
    assert.doesNotMatch(page.body, /<img src=x|<script>|<b>bold/);
    assert.match(page.body, /&#60;img src=x/);
  });
});

function wallProgress(w: Wall, slug: string): { current: number; target: number } | undefined {
  const entry = w.inProgress.find((p) => p.achievement.id === `${COMMUNITY}.${slug}`);
  return entry ? { current: entry.current, target: entry.target } : undefined;
}
