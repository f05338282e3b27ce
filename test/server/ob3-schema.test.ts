import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT } from 'jose';
import {
  OB_V3P0_CONTEXT,
  OB_V3P0_CREDENTIAL_SCHEMA,
  VC_V2_CONTEXT,
  validateOpenBadgeCredential,
  validateVcJwt,
  validateVcJwtPayload,
  type ValidationResult,
} from './ob3-schema.js';

/*
 * The validator the server tests use on every credential the reference server issues, checked on
 * hand-written credentials: one that follows Open Badges 3.0 and, one rule at a time, ones that do not.
 */

const ISSUER = 'https://guild.test/api/issuers/general';
const SUBJECT = 'urn:uuid:0b6a4c52-3a1e-4f0e-9d7b-5f2e8c1a9d34';
const CREDENTIAL_ID = 'urn:uuid:7f3d2e10-8c4b-4a6e-b1f9-2d5c7a8e9b01';

function example(): Record<string, unknown> {
  return {
    '@context': [VC_V2_CONTEXT, OB_V3P0_CONTEXT],
    id: CREDENTIAL_ID,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Helpful answer',
    issuer: {
      id: ISSUER,
      type: ['Profile'],
      name: 'General',
      url: 'https://guild.test/',
    },
    validFrom: '2025-03-14T09:26:53Z',
    credentialSubject: {
      id: SUBJECT,
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://guild.test/api/badges/helpful-answer',
        type: ['Achievement'],
        achievementType: 'Badge',
        name: 'Helpful answer',
        description: 'Gave an answer the asker accepted.',
        criteria: { narrative: 'Write an answer that the person who asked marks as accepted.' },
        image: { id: 'https://guild.test/api/badges/helpful-answer/image.svg', type: 'Image', caption: 'A lit lamp' },
        alignment: [
          {
            type: ['Alignment'],
            targetName: 'Peer support',
            targetUrl: 'https://guild.test/skills/peer-support',
            targetType: 'ext:GuildSkill',
          },
        ],
        tag: ['answers', 'community'],
      },
    },
    evidence: [
      { id: 'https://guild.test/threads/42#comment-7', type: ['Evidence'], name: 'The accepted answer' },
    ],
    credentialStatus: {
      id: `${ISSUER}/status-list#7`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '7',
      statusListCredential: `${ISSUER}/status-list`,
    },
    credentialSchema: [{ id: OB_V3P0_CREDENTIAL_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
}

type Json = Record<string, unknown>;
const at = (value: unknown, key: string): Json => (value as Json)[key] as Json;

function errorsOf(result: ValidationResult): string[] {
  return result.valid ? [] : result.errors;
}

function assertValid(result: ValidationResult): void {
  assert.deepEqual(errorsOf(result), [], 'expected no errors');
  assert.equal(result.valid, true);
}

function assertRefused(result: ValidationResult, ...patterns: RegExp[]): void {
  assert.equal(result.valid, false, 'expected the credential to be refused');
  const errors = errorsOf(result);
  for (const pattern of patterns) {
    assert.ok(
      errors.some((error) => pattern.test(error)),
      `expected an error matching ${String(pattern)}, got:\n  ${errors.join('\n  ')}`,
    );
  }
}

/** A JOSE header and payload for `credential` as §8.2 lays them out. */
function jwtParts(credential: Json): { header: Json; payload: Json } {
  const payload: Json = {
    ...credential,
    iss: ISSUER,
    jti: CREDENTIAL_ID,
    sub: SUBJECT,
    nbf: Date.parse(credential.validFrom as string) / 1000,
  };
  if (typeof credential.validUntil === 'string') payload.exp = Date.parse(credential.validUntil) / 1000;
  return { header: { alg: 'EdDSA', kid: `${ISSUER}/jwks#key-1`, typ: 'JWT' }, payload };
}

test('a credential shaped like the spec examples passes', () => {
  assertValid(validateOpenBadgeCredential(example()));
});

test('the alternative and optional forms the spec allows pass', () => {
  const credential = example();
  credential.type = ['AchievementCredential', 'VerifiableCredential'];
  credential.issuer = ISSUER; // ProfileRef: a URI
  credential.validUntil = '2026-03-14T09:26:53.000+01:00';
  credential['@context'] = [VC_V2_CONTEXT, OB_V3P0_CONTEXT, 'https://guild.test/contexts/guild.json', { guild: 'https://guild.test/vocab#' }];
  const subject = at(credential, 'credentialSubject');
  subject.type = 'AchievementSubject';
  const achievement = at(subject, 'achievement');
  achievement.criteria = { id: 'https://guild.test/badges/helpful-answer/criteria' };
  achievement.tag = 'answers';
  delete achievement.image;
  delete achievement.alignment;
  delete credential.evidence;
  delete credential.credentialSchema;
  delete credential.name; // [0..1] in the VC 2.0 edition
  assertValid(validateOpenBadgeCredential(credential));

  const anonymous = example();
  const anonymousSubject = at(anonymous, 'credentialSubject');
  delete anonymousSubject.id;
  anonymousSubject.identifier = [
    { type: 'IdentityObject', hashed: true, identityHash: 'sha256$5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', identityType: 'emailAddress', salt: 'guild' },
  ];
  assertValid(validateOpenBadgeCredential(anonymous));
});

test('@context must list the VC 2.0 context, then the Open Badges 3.0 context', () => {
  const missing = example();
  missing['@context'] = [VC_V2_CONTEXT];
  assertRefused(validateOpenBadgeCredential(missing), /^credential\["@context"\]: must NOT have fewer than 2 items/);

  const absent = example();
  delete absent['@context'];
  assertRefused(validateOpenBadgeCredential(absent), /^credential: missing required member "@context"$/);

  const swapped = example();
  swapped['@context'] = [OB_V3P0_CONTEXT, VC_V2_CONTEXT];
  assertRefused(
    validateOpenBadgeCredential(swapped),
    /^credential\["@context"\]\[0\]: must be "https:\/\/www\.w3\.org\/ns\/credentials\/v2"/,
    /^credential\["@context"\]\[1\]: must match .*expected the Open Badges 3\.0 context/,
  );

  const oldVc = example();
  oldVc['@context'] = ['https://www.w3.org/2018/credentials/v1', OB_V3P0_CONTEXT];
  assertRefused(validateOpenBadgeCredential(oldVc), /credential\["@context"\]\[0\]: must be /);

  const otherOb = example();
  otherOb['@context'] = [VC_V2_CONTEXT, 'https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld'];
  assertRefused(validateOpenBadgeCredential(otherOb), /credential\["@context"\]\[1\]: must match/);
});

test('type must hold VerifiableCredential and OpenBadgeCredential (or AchievementCredential)', () => {
  const credential = example();
  credential.type = ['VerifiableCredential'];
  assertRefused(
    validateOpenBadgeCredential(credential),
    /^credential\.type: must include one of "AchievementCredential", "OpenBadgeCredential"/,
  );
  assert.deepEqual(errorsOf(validateOpenBadgeCredential(credential)), [
    'credential.type: must include one of "AchievementCredential", "OpenBadgeCredential", got ["VerifiableCredential"]',
  ]);

  const noVc = example();
  noVc.type = ['OpenBadgeCredential'];
  assertRefused(validateOpenBadgeCredential(noVc), /^credential\.type: must include "VerifiableCredential"/);

  const single = example();
  single.type = 'OpenBadgeCredential';
  assertRefused(validateOpenBadgeCredential(single), /^credential\.type: must be of type array/);
});

test('an issuer is required and must have an id', () => {
  const missing = example();
  delete missing.issuer;
  assertRefused(validateOpenBadgeCredential(missing), /^credential: missing required member "issuer"$/);

  const noId = example();
  delete at(noId, 'issuer').id;
  assertRefused(validateOpenBadgeCredential(noId), /^credential\.issuer: missing required member "id"$/);

  const notProfile = example();
  at(notProfile, 'issuer').type = ['Organization'];
  assertRefused(validateOpenBadgeCredential(notProfile), /^credential\.issuer\.type: must include "Profile"/);

  const notUri = example();
  notUri.issuer = 'general guild';
  assertRefused(validateOpenBadgeCredential(notUri), /^credential\.issuer: must be a valid uri/);
});

test('validFrom must be a date-time with a time zone', () => {
  for (const validFrom of ['14/03/2025', '2025-03-14T09:26:53', 1741944413]) {
    const credential = example();
    credential.validFrom = validFrom;
    assertRefused(validateOpenBadgeCredential(credential), /^credential\.validFrom: must (be a valid date-time|be of type string)/);
  }
  const missing = example();
  delete missing.validFrom;
  assertRefused(validateOpenBadgeCredential(missing), /^credential: missing required member "validFrom"$/);

  const backwards = example();
  backwards.validUntil = '2025-03-13T09:26:53Z';
  assertRefused(validateOpenBadgeCredential(backwards), /^credential\.validUntil: must not be before validFrom/);
});

test('credentialSubject must carry the achievement and say who earned it', () => {
  const credential = example();
  delete at(credential, 'credentialSubject').achievement;
  assertRefused(validateOpenBadgeCredential(credential), /^credential\.credentialSubject: missing required member "achievement"$/);

  const nobody = example();
  delete at(nobody, 'credentialSubject').id;
  assertRefused(validateOpenBadgeCredential(nobody), /^credential\.credentialSubject: missing required member "identifier"$/);

  const wrongType = example();
  at(wrongType, 'credentialSubject').type = ['CredentialSubject'];
  assertRefused(validateOpenBadgeCredential(wrongType), /^credential\.credentialSubject\.type: must include "AchievementSubject"/);
});

test('an achievement needs id, type, name, description and criteria', () => {
  const credential = example();
  delete at(at(credential, 'credentialSubject'), 'achievement').criteria;
  assertRefused(
    validateOpenBadgeCredential(credential),
    /^credential\.credentialSubject\.achievement: missing required member "criteria"$/,
  );

  const bare = example();
  at(bare, 'credentialSubject').achievement = { id: 'https://guild.test/api/badges/x', type: ['Achievement'] };
  assertRefused(
    validateOpenBadgeCredential(bare),
    /achievement: missing required member "name"$/,
    /achievement: missing required member "description"$/,
    /achievement: missing required member "criteria"$/,
  );

  const badImage = example();
  at(at(badImage, 'credentialSubject'), 'achievement').image = { id: 'https://guild.test/i.png', type: 'Picture' };
  assertRefused(validateOpenBadgeCredential(badImage), /achievement\.image\.type: must be "Image", got "Picture"/);

  const badType = example();
  at(at(badType, 'credentialSubject'), 'achievement').achievementType = 'Trophy';
  assertRefused(validateOpenBadgeCredential(badType), /achievement\.achievementType: must be one of "Achievement",/);
});

test('an alignment needs type, targetName and targetUrl', () => {
  const credential = example();
  const alignment = (at(at(credential, 'credentialSubject'), 'achievement').alignment as Json[])[0]!;
  delete alignment.targetUrl;
  assertRefused(
    validateOpenBadgeCredential(credential),
    /^credential\.credentialSubject\.achievement\.alignment\[0\]: missing required member "targetUrl"$/,
  );
});

test('evidence, status and schema entries follow their own rules', () => {
  const evidence = example();
  evidence.evidence = [{ id: 'https://guild.test/threads/42' }];
  assertRefused(validateOpenBadgeCredential(evidence), /^credential\.evidence\[0\]: missing required member "type"$/);

  const status = example();
  at(status, 'credentialStatus').statusListIndex = 7;
  assertRefused(validateOpenBadgeCredential(status), /^credential\.credentialStatus\.statusListIndex: must be of type string/);

  const noList = example();
  delete at(noList, 'credentialStatus').statusListCredential;
  assertRefused(validateOpenBadgeCredential(noList), /credentialStatus: missing required member "statusListCredential"$/);

  const schema = example();
  schema.credentialSchema = [{ id: 'https://guild.test/schema.json', type: 'JsonSchema' }];
  assertRefused(validateOpenBadgeCredential(schema), /^credential\.credentialSchema: must include an item like \{"id":"https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/schema\/json\/ob_v3p0_achievementcredential_schema\.json","type":"1EdTechJsonSchemaValidator2019"\}/);
});

test('anything but an object is refused', () => {
  assertRefused(validateOpenBadgeCredential(null), /^credential: must be of type object/);
  assertRefused(validateOpenBadgeCredential('eyJ...'), /^credential: must be of type object/);
});

test('VC-JWT: the payload is the credential with iss, jti, sub and nbf (and exp for validUntil)', () => {
  const { header, payload } = jwtParts(example());
  assertValid(validateVcJwtPayload(header, payload));

  const expiring = example();
  expiring.validUntil = '2026-03-14T09:26:53Z';
  const parts = jwtParts(expiring);
  assertValid(validateVcJwtPayload(parts.header, parts.payload));
  assertValid(validateVcJwtPayload({ alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'abc' } }, parts.payload));
});

test('VC-JWT: a vc wrapper is refused', () => {
  const credential = example();
  const { header } = jwtParts(credential);
  const wrapped = { iss: ISSUER, jti: CREDENTIAL_ID, sub: SUBJECT, nbf: 1741944413, vc: credential };
  assertRefused(
    validateVcJwtPayload(header, wrapped),
    /^payload\.vc: not allowed/,
    /^payload: missing required member "@context"$/,
  );
});

test('VC-JWT: claims must equal the credential members', () => {
  const credential = example();
  credential.validUntil = '2026-03-14T09:26:53Z';
  const { header, payload } = jwtParts(credential);

  assertRefused(
    validateVcJwtPayload(header, { ...payload, iss: 'https://guild.test/api/issuers/other' }),
    /^payload\.iss: must equal issuer\.id "https:\/\/guild\.test\/api\/issuers\/general", got "https:\/\/guild\.test\/api\/issuers\/other"$/,
  );
  assertRefused(
    validateVcJwtPayload(header, { ...payload, nbf: (payload.nbf as number) + 1 }),
    /^payload\.nbf: 1741944414 \(2025-03-14T09:26:54\.000Z\) must equal validFrom "2025-03-14T09:26:53Z" in seconds/,
  );
  assertRefused(validateVcJwtPayload(header, { ...payload, nbf: '2025-03-14T09:26:53Z' }), /^payload\.nbf: must be a NumericDate/);
  assertRefused(validateVcJwtPayload(header, { ...payload, jti: 'urn:uuid:other' }), /^payload\.jti: must equal id /);
  assertRefused(validateVcJwtPayload(header, { ...payload, sub: 'urn:uuid:other' }), /^payload\.sub: must equal credentialSubject\.id /);
  assertRefused(validateVcJwtPayload(header, { ...payload, exp: (payload.exp as number) - 60 }), /^payload\.exp: .* must equal validUntil /);

  const withoutIss = { ...payload };
  delete withoutIss.iss;
  assertRefused(validateVcJwtPayload(header, withoutIss), /^payload\.iss: missing/);
  const withoutExp = { ...payload };
  delete withoutExp.exp;
  assertRefused(validateVcJwtPayload(header, withoutExp), /^payload\.exp: missing/);
  const withoutUntil = { ...payload };
  delete withoutUntil.validUntil;
  assertRefused(validateVcJwtPayload(header, withoutUntil), /^payload\.exp: .* without a validUntil/);
});

test('VC-JWT: the payload must itself be a valid credential', () => {
  const credential = example();
  const { header, payload } = jwtParts(credential);
  delete at(at(payload, 'credentialSubject'), 'achievement').criteria;
  assertRefused(validateVcJwtPayload(header, payload), /^payload\.credentialSubject\.achievement: missing required member "criteria"$/);
});

test('VC-JWT: header rules', () => {
  const { header, payload } = jwtParts(example());
  assertRefused(validateVcJwtPayload({ ...header, alg: 'RS256' }, payload), /^header\.alg: must be one of "EdDSA", got "RS256"$/);
  assertRefused(validateVcJwtPayload({ ...header, alg: 'none' }, payload, { algorithms: ['EdDSA', 'none'] }), /^header\.alg: /);
  assertValid(validateVcJwtPayload({ ...header, alg: 'RS256' }, payload, { algorithms: ['RS256', 'EdDSA'] }));
  assertRefused(validateVcJwtPayload({ ...header, typ: 'vc+jwt' }, payload), /^header\.typ: if present must be "JWT"/);
  assertValid(validateVcJwtPayload({ alg: 'EdDSA', kid: header.kid }, payload)); // typ is optional
  assertRefused(validateVcJwtPayload({ alg: 'EdDSA', typ: 'JWT' }, payload), /^header: must have "kid" or "jwk"/);
  assertRefused(validateVcJwtPayload({ ...header, kid: 'key-1' }, payload), /^header\.kid: must be a URI/);
  assertRefused(validateVcJwtPayload({ ...header, cty: 'vc' }, payload), /^header\.cty: not allowed/);
  assertRefused(
    validateVcJwtPayload({ alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'secret' } }, payload),
    /^header\.jwk: holds a private key/,
  );
});

test('VC-JWT: time checks when asked for', () => {
  const credential = example();
  credential.validUntil = '2026-03-14T09:26:53Z';
  const { header, payload } = jwtParts(credential);
  assertValid(validateVcJwtPayload(header, payload, { at: new Date('2025-06-01T00:00:00Z') }));
  assertRefused(validateVcJwtPayload(header, payload, { at: new Date('2025-01-01T00:00:00Z') }), /^payload\.nbf: not valid yet/);
  assertRefused(validateVcJwtPayload(header, payload, { at: new Date('2026-03-14T09:26:53Z') }), /^payload\.exp: expired/);
});

test('VC-JWT: a compact JWS signed with Ed25519 is read and checked', async () => {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const { header, payload } = jwtParts(example());
  const jws = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: header.kid as string, typ: 'JWT' }).sign(privateKey);
  assertValid(validateVcJwt(jws));

  const wrapped = await new SignJWT({ vc: example(), iss: ISSUER, jti: CREDENTIAL_ID, sub: SUBJECT, nbf: payload.nbf as number })
    .setProtectedHeader({ alg: 'EdDSA', kid: header.kid as string })
    .sign(privateKey);
  assertRefused(validateVcJwt(wrapped), /^payload\.vc: not allowed/);
  assertRefused(validateVcJwt('not.a-jws'), /^jws: not a compact JWS/);
});
