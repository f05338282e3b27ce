import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';

/*
 * A strict, independent validator for the Open Badges 3.0 credentials the reference server issues.
 *
 * Written for these tests from the published 1EdTech material (nothing is copied from it):
 *
 * - Open Badges Specification v3.0, https://www.imsglobal.org/spec/ob/v3p0/ (the revision built on the
 *   VC Data Model 2.0):
 *   - Appendix B.1 "Credential Data Models": B.1.1 Achievement, B.1.2 AchievementCredential, B.1.3
 *     AchievementSubject, B.1.5 Alignment, B.1.6 Criteria, B.1.9 Evidence, B.1.12 IdentityObject, B.1.13
 *     Image, B.1.14 Profile, B.1.20 ProfileRef, B.1.21 CredentialSchema, B.1.22 CredentialStatus, B.1.24
 *     Proof, B.1.25 RefreshService, B.1.26 TermsOfUse, B.1.27 Context; B.1.28-B.1.30 enumerations
 *     (extensible with an `ext:` prefix); B.7 derived types (DateTimeZ, NumericDate, URI).
 *   - §8.2 "JSON Web Token Proof Format": §8.2.3 Create the JOSE Header, §8.2.4 Create the JWT Payload,
 *     §8.2.6 Verify a Credential (with §8.2.6.1 Verify a Credential VC-JWT Signature).
 * - The spec's JSON Schema, https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json
 *   (draft 2019-09). Top-level `required`: `@context`, `id`, `type`, `credentialSubject`, `issuer`,
 *   `validFrom`. `@context` is an array of at least 2 items whose first item is exactly
 *   `https://www.w3.org/ns/credentials/v2` and whose second item matches
 *   `^https://purl.imsglobal.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$`; further items are Contexts
 *   (a URI or a map). The prose of B.1.2 names `https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json`
 *   as the second item; the schema's pattern is what conformance checks, so it is what is used here
 *   (with `?` for the schema's `*`, which would also allow a repeated version suffix).
 * - W3C Bitstring Status List v1.0, §2.1 BitstringStatusListEntry, for a `credentialStatus` of that type.
 *
 * Where the spec is looser than one might expect, this follows the spec, not expectation:
 * - `name` of the credential is [0..1] in B.1.2 (it was [1] in the VC 1.1 edition, B.9.2) and not in the
 *   schema's `required`; an issuer Profile needs only `id` and `type` (B.1.14, `name` is [0..1]).
 * - Criteria has `id` [0..1] and `narrative` [0..1] and the schema requires neither, so an Achievement
 *   must have `criteria` (B.1.1, [1]) but its content is not forced.
 * - `issuer` is a ProfileRef (B.1.20): a URI string or a Profile object.
 * - `type` members that are IRI [1..*] may be a single string (JSON-LD compaction) or an array; either
 *   way the required IRI must be there. The credential's own `type` must be an array, because it needs
 *   two IRIs.
 * Stricter than the schema, as the spec's prose asks: ids are checked as URIs (format `uri`), dates as
 * DateTimeZ (RFC 3339 `date-time`, zone required), an AchievementSubject needs `id` or at least one
 * `identifier` (B.1.3), a `credentialSchema`, when present, must include the spec's schema with type
 * `1EdTechJsonSchemaValidator2019` (B.1.21), and Image is closed (`id`, `type`, `caption`), as in the
 * schema. Strings are plain strings (no language maps).
 */

export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** The context B.1.2 names; any `context-3.x.y.json` (or the unversioned `context.json`) passes the schema. */
export const OB_V3P0_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB_V3P0_CONTEXT_PATTERN = '^https://purl\\.imsglobal\\.org/spec/ob/v3p0/context(-3\\.\\d\\.\\d)?\\.json$';
export const OB_V3P0_CREDENTIAL_SCHEMA =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
export const OB_V3P0_SCHEMA_VALIDATOR = '1EdTechJsonSchemaValidator2019';

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const dateTimeZ: Schema = { type: 'string', format: 'date-time', description: 'a DateTimeZ (RFC 3339 date-time with a time zone)' };
const uri = (description: string): Schema => ({ type: 'string', format: 'uri', description });
const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

/** A type IRI [1..*]: the IRI itself, or a list of IRIs that includes it. */
function typeIncluding(iri: string): Schema {
  return {
    description: `"${iri}" or a list of IRIs including "${iri}"`,
    if: { type: 'string' },
    then: { type: 'string', const: iri },
    else: { type: 'array', minItems: 1, items: str, contains: { const: iri } },
  };
}

/** A property of multiplicity [0..*]: one value, or an array of them. */
function oneOrMany(item: Schema): Schema {
  return { if: { type: 'array' }, then: { type: 'array', items: item }, else: item };
}

/** An extensible enumeration (B.1.28-B.1.30): one of the terms, or a term starting with `ext:`. */
function extensibleEnum(terms: string[]): Schema {
  return {
    type: 'string',
    description: `one of ${terms.map((t) => `"${t}"`).join(', ')}, or a term starting with "ext:"`,
    if: { pattern: '^ext:' },
    then: { pattern: '^ext:[A-Za-z0-9.\\-_]+$' },
    else: { enum: terms },
  };
}

const IDENTIFIER_TYPES = [
  'name', 'sourcedId', 'systemId', 'productId', 'userName', 'accountId', 'emailAddress', 'nationalIdentityNumber',
  'isbn', 'issn', 'lisSourcedId', 'oneRosterSourcedId', 'sisSourcedId', 'ltiContextId', 'ltiDeploymentId',
  'ltiToolId', 'ltiPlatformId', 'ltiUserId', 'identifier',
];
const ACHIEVEMENT_TYPES = [
  'Achievement', 'ApprenticeshipCertificate', 'Assessment', 'Assignment', 'AssociateDegree', 'Award', 'Badge',
  'BachelorDegree', 'Certificate', 'CertificateOfCompletion', 'Certification', 'CommunityService', 'Competency',
  'Course', 'CoCurricular', 'Degree', 'Diploma', 'DoctoralDegree', 'Fieldwork', 'GeneralEducationDevelopment',
  'JourneymanCertificate', 'LearningProgram', 'License', 'Membership', 'ProfessionalDoctorate',
  'QualityAssuranceCredential', 'MasterCertificate', 'MasterDegree', 'MicroCredential', 'ResearchDoctorate',
  'SecondarySchoolDiploma',
];
const ALIGNMENT_TARGET_TYPES = [
  'ceasn:Competency', 'ceterms:Credential', 'CFItem', 'CFRubric', 'CFRubricCriterion', 'CFRubricCriterionLevel', 'CTDL',
];
const COMPACT_JWS_PATTERN = '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+$';

/** JSON Schema (draft 2020-12) of an OpenBadgeCredential / AchievementCredential (B.1.2). */
export const openBadgeCredentialSchema: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:guildkit:test:ob-v3p0-achievement-credential',
  title: 'Open Badges 3.0 AchievementCredential (OpenBadgeCredential), VC Data Model 2.0',
  type: 'object',
  required: ['@context', 'id', 'type', 'credentialSubject', 'issuer', 'validFrom'],
  properties: {
    '@context': {
      type: 'array',
      description: `an ordered list starting with "${VC_V2_CONTEXT}" then "${OB_V3P0_CONTEXT}" (or another context-3.x.y.json)`,
      minItems: 2,
      prefixItems: [
        { const: VC_V2_CONTEXT },
        { type: 'string', pattern: OB_V3P0_CONTEXT_PATTERN, description: `the Open Badges 3.0 context, e.g. "${OB_V3P0_CONTEXT}"` },
      ],
      items: ref('Context'),
    },
    id: uri('Unambiguous reference to the credential'),
    type: {
      type: 'array',
      items: str,
      allOf: [
        { type: 'array', contains: { const: 'VerifiableCredential' } },
        { type: 'array', contains: { enum: ['AchievementCredential', 'OpenBadgeCredential'] } },
      ],
    },
    name: str,
    description: str,
    image: ref('Image'),
    awardedDate: dateTimeZ,
    credentialSubject: ref('AchievementSubject'),
    endorsement: oneOrMany(ref('EndorsementCredential')),
    endorsementJwt: oneOrMany({ type: 'string', pattern: COMPACT_JWS_PATTERN }),
    evidence: oneOrMany(ref('Evidence')),
    issuer: ref('ProfileRef'),
    validFrom: dateTimeZ,
    validUntil: dateTimeZ,
    proof: oneOrMany(ref('Proof')),
    credentialSchema: {
      description: `one or more CredentialSchema, one of them {"id": "${OB_V3P0_CREDENTIAL_SCHEMA}", "type": "${OB_V3P0_SCHEMA_VALIDATOR}"}`,
      if: { type: 'array' },
      then: {
        type: 'array',
        items: ref('CredentialSchema'),
        contains: {
          type: 'object',
          required: ['id', 'type'],
          properties: { id: { const: OB_V3P0_CREDENTIAL_SCHEMA }, type: { const: OB_V3P0_SCHEMA_VALIDATOR } },
        },
      },
      else: {
        allOf: [
          ref('CredentialSchema'),
          { type: 'object', properties: { id: { const: OB_V3P0_CREDENTIAL_SCHEMA }, type: { const: OB_V3P0_SCHEMA_VALIDATOR } } },
        ],
      },
    },
    credentialStatus: ref('CredentialStatus'),
    refreshService: ref('RefreshService'),
    termsOfUse: oneOrMany(ref('TermsOfUse')),
  },
  $defs: {
    Context: {
      description: 'a JSON-LD context: a URI or a map',
      if: { type: 'string' },
      then: { type: 'string', format: 'uri' },
      else: { type: 'object' },
    },
    ProfileRef: {
      description: 'a Profile, or the URI of one',
      if: { type: 'string' },
      then: { type: 'string', format: 'uri' },
      else: ref('Profile'),
    },
    Profile: {
      type: 'object',
      required: ['id', 'type'],
      properties: {
        id: uri('Unique URI for the Issuer/Profile'),
        type: typeIncluding('Profile'),
        name: str,
        url: uri('homepage'),
        phone: str,
        description: str,
        endorsement: oneOrMany(ref('EndorsementCredential')),
        endorsementJwt: oneOrMany({ type: 'string', pattern: COMPACT_JWS_PATTERN }),
        image: ref('Image'),
        email: str,
        address: ref('Address'),
        otherIdentifier: oneOrMany(ref('IdentifierEntry')),
        official: str,
        parentOrg: ref('Profile'),
        familyName: str,
        givenName: str,
        additionalName: str,
        patronymicName: str,
        honorificPrefix: str,
        honorificSuffix: str,
        familyNamePrefix: str,
        dateOfBirth: { type: 'string', format: 'date' },
      },
    },
    Address: {
      type: 'object',
      required: ['type'],
      properties: {
        type: typeIncluding('Address'),
        addressCountry: str,
        addressCountryCode: str,
        addressRegion: str,
        addressLocality: str,
        streetAddress: str,
        postOfficeBoxNumber: str,
        postalCode: str,
        geo: {
          type: 'object',
          required: ['type', 'latitude', 'longitude'],
          properties: { type: { const: 'GeoCoordinates' }, latitude: { type: 'number' }, longitude: { type: 'number' } },
        },
      },
    },
    Image: {
      type: 'object',
      required: ['id', 'type'],
      properties: { id: uri('the URI or data URI of the image'), type: { const: 'Image' }, caption: str },
      additionalProperties: false,
    },
    AchievementSubject: {
      type: 'object',
      required: ['type', 'achievement'],
      properties: {
        id: uri('An identifier for the Credential Subject'),
        type: typeIncluding('AchievementSubject'),
        activityEndDate: { type: 'string', format: 'date-time' },
        activityStartDate: { type: 'string', format: 'date-time' },
        creditsEarned: { type: 'number' },
        achievement: ref('Achievement'),
        identifier: oneOrMany(ref('IdentityObject')),
        image: ref('Image'),
        licenseNumber: str,
        narrative: str,
        result: oneOrMany(ref('Result')),
        role: str,
        source: ref('Profile'),
        term: str,
      },
      // B.1.3: "Either id or at least one identifier MUST be supplied."
      if: { type: 'object', not: { required: ['id'] } },
      then: {
        type: 'object',
        required: ['identifier'],
        properties: { identifier: { if: { type: 'array' }, then: { type: 'array', minItems: 1 } } },
      },
    },
    IdentityObject: {
      type: 'object',
      required: ['type', 'hashed', 'identityHash', 'identityType'],
      properties: {
        type: { const: 'IdentityObject' },
        hashed: { type: 'boolean' },
        identityHash: str,
        identityType: extensibleEnum(IDENTIFIER_TYPES),
        salt: str,
      },
      additionalProperties: false,
    },
    IdentifierEntry: {
      type: 'object',
      required: ['type', 'identifier', 'identifierType'],
      properties: {
        type: { const: 'IdentifierEntry' },
        identifier: str,
        identifierType: extensibleEnum(IDENTIFIER_TYPES),
      },
      additionalProperties: false,
    },
    Achievement: {
      type: 'object',
      required: ['id', 'type', 'criteria', 'description', 'name'],
      properties: {
        id: uri('Unique URI for the Achievement'),
        type: typeIncluding('Achievement'),
        alignment: oneOrMany(ref('Alignment')),
        achievementType: extensibleEnum(ACHIEVEMENT_TYPES),
        creator: ref('Profile'),
        creditsAvailable: { type: 'number' },
        criteria: ref('Criteria'),
        description: str,
        endorsement: oneOrMany(ref('EndorsementCredential')),
        endorsementJwt: oneOrMany({ type: 'string', pattern: COMPACT_JWS_PATTERN }),
        fieldOfStudy: str,
        humanCode: str,
        image: ref('Image'),
        inLanguage: { type: 'string', pattern: '^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$' },
        name: str,
        otherIdentifier: oneOrMany(ref('IdentifierEntry')),
        related: oneOrMany({
          type: 'object',
          required: ['id', 'type'],
          properties: { id: uri('the related achievement'), type: typeIncluding('Related'), inLanguage: str, version: str },
        }),
        resultDescription: oneOrMany(ref('ResultDescription')),
        specialization: str,
        tag: oneOrMany(str),
        version: str,
      },
    },
    Criteria: {
      type: 'object',
      properties: { id: uri('a web page describing the criteria'), narrative: str },
    },
    Alignment: {
      type: 'object',
      required: ['type', 'targetName', 'targetUrl'],
      properties: {
        type: typeIncluding('Alignment'),
        targetCode: str,
        targetDescription: str,
        targetName: str,
        targetFramework: str,
        targetType: extensibleEnum(ALIGNMENT_TARGET_TYPES),
        targetUrl: uri('a URL of the alignment target'),
      },
    },
    Result: {
      type: 'object',
      required: ['type'],
      properties: {
        type: typeIncluding('Result'),
        achievedLevel: uri('a RubricCriterionLevel id'),
        alignment: oneOrMany(ref('Alignment')),
        resultDescription: uri('a ResultDescription id'),
        status: { enum: ['Completed', 'Enrolled', 'Failed', 'InProgress', 'OnHold', 'Provisional', 'Withdrew'] },
        value: str,
      },
    },
    ResultDescription: {
      type: 'object',
      required: ['id', 'type', 'name', 'resultType'],
      properties: {
        id: uri('the result description id'),
        type: typeIncluding('ResultDescription'),
        alignment: oneOrMany(ref('Alignment')),
        allowedValue: oneOrMany(str),
        name: str,
        requiredLevel: uri('a RubricCriterionLevel id'),
        requiredValue: str,
        resultType: extensibleEnum([
          'GradePointAverage', 'LetterGrade', 'Percent', 'PerformanceLevel', 'PredictedScore', 'RawScore', 'Result',
          'RubricCriterion', 'RubricCriterionLevel', 'RubricScore', 'ScaledScore', 'Status',
        ]),
        rubricCriterionLevel: oneOrMany({
          type: 'object',
          required: ['id', 'type', 'name'],
          properties: {
            id: uri('the rubric criterion level id'),
            type: typeIncluding('RubricCriterionLevel'),
            alignment: oneOrMany(ref('Alignment')),
            description: str,
            level: str,
            name: str,
            points: str,
          },
        }),
        valueMax: str,
        valueMin: str,
      },
    },
    Evidence: {
      type: 'object',
      required: ['type'],
      properties: {
        id: uri('a web page presenting the evidence, or a data URI'),
        type: typeIncluding('Evidence'),
        narrative: str,
        name: str,
        description: str,
        genre: str,
        audience: str,
      },
    },
    EndorsementCredential: {
      type: 'object',
      required: ['@context', 'type', 'id', 'name', 'credentialSubject', 'issuer', 'validFrom'],
      properties: {
        '@context': {
          type: 'array',
          minItems: 2,
          prefixItems: [{ const: VC_V2_CONTEXT }, { type: 'string', pattern: OB_V3P0_CONTEXT_PATTERN }],
          items: ref('Context'),
        },
        type: {
          type: 'array',
          items: str,
          allOf: [
            { type: 'array', contains: { const: 'VerifiableCredential' } },
            { type: 'array', contains: { const: 'EndorsementCredential' } },
          ],
        },
        id: uri('Unambiguous reference to the credential'),
        name: str,
        credentialSubject: {
          type: 'object',
          required: ['id', 'type'],
          properties: { id: uri('the endorsed entity'), type: typeIncluding('EndorsementSubject'), endorsementComment: str },
        },
        issuer: ref('ProfileRef'),
        validFrom: dateTimeZ,
        validUntil: dateTimeZ,
      },
    },
    Proof: {
      type: 'object',
      required: ['type'],
      properties: {
        type: str,
        created: { type: 'string', format: 'date-time' },
        cryptosuite: str,
        proofPurpose: str,
        proofValue: str,
        verificationMethod: uri('the key that verifies the proof'),
      },
    },
    CredentialSchema: {
      type: 'object',
      required: ['id', 'type'],
      properties: { id: uri('the schema'), type: str },
    },
    CredentialStatus: {
      type: 'object',
      required: ['type'],
      properties: { id: uri("the issuer's credential status method"), type: str },
      // W3C Bitstring Status List v1.0 §2.1: the members of a BitstringStatusListEntry.
      if: { type: 'object', required: ['type'], properties: { type: { const: 'BitstringStatusListEntry' } } },
      then: {
        type: 'object',
        required: ['statusPurpose', 'statusListIndex', 'statusListCredential'],
        properties: {
          statusPurpose: str,
          statusListIndex: {
            type: 'string',
            pattern: '^(0|[1-9][0-9]*)$',
            description: 'a non-negative integer written as a base-10 string',
          },
          statusListCredential: uri('the URL of the status list credential'),
          statusSize: { type: 'integer', minimum: 1 },
        },
      },
    },
    RefreshService: {
      type: 'object',
      required: ['id', 'type'],
      properties: { id: uri("the issuer's refresh service"), type: str },
    },
    TermsOfUse: {
      type: 'object',
      required: ['type'],
      properties: { id: uri('the term of use'), type: str },
    },
  },
};

const formats = formatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // Strict, except: strictTuples would demand a closed tuple (`@context` is an open one: two fixed items,
    // then any Context) and strictRequired a `properties` entry beside every `required` in `if`/`then`.
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, strictRequired: false, verbose: true });
    formats(ajv);
    compiled = ajv.compile(openBadgeCredentialSchema);
  }
  return compiled;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `/credentialSubject/achievement/alignment/0` → `credential.credentialSubject.achievement.alignment[0]`. */
function location(root: string, pointer: string): string {
  if (pointer === '') return root;
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => {
      if (/^\d+$/.test(part)) return `${path}[${part}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(part)) return `${path}.${part}`;
      return `${path}[${JSON.stringify(part)}]`;
    }, root);
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function quoted(values: unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** One readable line for an Ajv error, or undefined for the ones that only repeat another. */
function describe(root: string, error: ErrorObject): string | undefined {
  const at = location(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parent = isRecord(error.parentSchema) ? error.parentSchema : {};
  const expected = typeof parent.description === 'string' ? ` (expected ${parent.description})` : '';
  // Items failing a `contains` subschema are expected; the `contains` error itself says what is missing.
  if (error.schemaPath.includes('/contains/')) return undefined;
  switch (error.keyword) {
    case 'if':
      return undefined; // "must match then/else schema": the branch's own errors say what is wrong
    case 'required':
      return `${at}: missing required member ${JSON.stringify(params.missingProperty)}`;
    case 'additionalProperties':
      return `${at}: unexpected member ${JSON.stringify(params.additionalProperty)}`;
    case 'const':
      return `${at}: must be ${JSON.stringify(params.allowedValue)}, got ${shown(error.data)}`;
    case 'enum':
      return `${at}: must be one of ${quoted(params.allowedValues as unknown[])}, got ${shown(error.data)}`;
    case 'contains': {
      const wanted = isRecord(parent.contains) ? parent.contains : {};
      if ('const' in wanted) return `${at}: must include ${JSON.stringify(wanted.const)}, got ${shown(error.data)}`;
      if (Array.isArray(wanted.enum)) return `${at}: must include one of ${quoted(wanted.enum)}, got ${shown(error.data)}`;
      const members = isRecord(wanted.properties) ? wanted.properties : {};
      const like = Object.fromEntries(
        Object.entries(members).flatMap(([name, sub]) => (isRecord(sub) && 'const' in sub ? [[name, sub.const]] : [])),
      );
      return `${at}: must include an item like ${JSON.stringify(like)}, got ${shown(error.data)}`;
    }
    case 'format':
      return `${at}: must be a valid ${String(params.format)}${expected}, got ${shown(error.data)}`;
    case 'pattern':
      return `${at}: must match ${String(params.pattern)}${expected}, got ${shown(error.data)}`;
    case 'type':
      return `${at}: must be of type ${String(params.type)}, got ${shown(error.data)}`;
    default:
      return `${at}: ${error.message ?? error.keyword}${expected}`;
  }
}

function schemaErrors(root: string, credential: unknown): string[] {
  const validate = validator();
  if (validate(credential)) return [];
  const lines = (validate.errors ?? []).map((error) => describe(root, error)).filter((line) => line !== undefined);
  return [...new Set(lines)];
}

/** Checks the schema cannot express. */
function semanticErrors(root: string, credential: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const from = typeof credential.validFrom === 'string' ? Date.parse(credential.validFrom) : NaN;
  const until = typeof credential.validUntil === 'string' ? Date.parse(credential.validUntil) : NaN;
  // Not a rule of its own in the spec, but a validity period that ends before it starts is never valid.
  if (!Number.isNaN(from) && !Number.isNaN(until) && until < from) {
    errors.push(`${root}.validUntil: must not be before validFrom (${String(credential.validFrom)})`);
  }
  return errors;
}

function check(root: string, credential: unknown): string[] {
  const errors = schemaErrors(root, credential);
  if (isRecord(credential)) errors.push(...semanticErrors(root, credential));
  return errors;
}

function result(errors: string[]): ValidationResult {
  return errors.length === 0 ? { valid: true } : { valid: false, errors };
}

/** Validates an OpenBadgeCredential (unsigned JSON, or the payload of its VC-JWT) against Open Badges 3.0. */
export function validateOpenBadgeCredential(credential: unknown): ValidationResult {
  return result(check('credential', credential));
}

export interface VcJwtRules {
  /**
   * `alg` values accepted. §8.2.3 requires RS256 support "as a minimum" and permits other algorithms;
   * the reference server signs with EdDSA (Ed25519), so that is the default. `none` is never accepted.
   */
  algorithms?: readonly string[];
  /** When given, also apply the time checks of §8.2.6.1: valid from `nbf` on, expired from `exp` on. */
  at?: Date;
}

/*
 * VC-JWT rules, Open Badges 3.0 §8.2 (VC Data Model 2.0 revision), as read in the spec:
 * - §8.2.3 JOSE header: `alg` required; `kid` (a URI dereferencing to the public JWK) or `jwk` (the
 *   public key, which MUST never contain "d") - one of the two MUST be there; `typ` optional and, if
 *   present, MUST be "JWT" (not "vc+jwt": that is VC-JOSE-COSE's value, which OB 3.0 does not adopt);
 *   "Additional JOSE Headers are NOT allowed", so no other header parameter is accepted.
 * - §8.2.4 JWT payload: "the JSON object of the OpenBadgeCredential" with the claims added: so the
 *   credential's members are top-level, and a `vc` claim (the VC 1.1 layout, which §8.2.6 only accepts
 *   for old credentials) is refused. `iss` = `issuer.id` (required), `jti` = `id` (required), `nbf` =
 *   `validFrom` (required), `sub` = `credentialSubject.id` (listed as required; it can only be checked
 *   when the subject has an `id`, and is refused when it has none, since it could not match), `exp` =
 *   `validUntil` ("Required if the OpenBadgeCredential has a validUntil"). Other registered claims
 *   (`iat`, `aud`, ...) are allowed.
 * - B.7: a NumericDate is an Integer number of seconds, so `nbf`/`exp` must be integers and are compared
 *   with the date-times truncated to whole seconds.
 * This does not verify the signature; the server tests do that with the issuer's JWKS.
 */
export function validateVcJwtPayload(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  rules: VcJwtRules = {},
): ValidationResult {
  const errors: string[] = [];
  const algorithms = rules.algorithms ?? ['EdDSA'];

  // §8.2.3 JOSE header
  const allowedHeaders = new Set(['alg', 'kid', 'jwk', 'typ']);
  for (const name of Object.keys(header)) {
    if (!allowedHeaders.has(name)) {
      errors.push(`header.${name}: not allowed (§8.2.3: only alg, kid, jwk and typ; "Additional JOSE Headers are NOT allowed")`);
    }
  }
  if (typeof header.alg !== 'string') {
    errors.push('header.alg: missing (§8.2.3: required)');
  } else if (header.alg === 'none' || !algorithms.includes(header.alg)) {
    errors.push(`header.alg: must be one of ${quoted([...algorithms])}, got ${JSON.stringify(header.alg)}`);
  }
  if ('typ' in header && header.typ !== 'JWT') {
    errors.push(`header.typ: if present must be "JWT" (§8.2.3), got ${shown(header.typ)}`);
  }
  if (!('kid' in header) && !('jwk' in header)) {
    errors.push('header: must have "kid" or "jwk" (§8.2.3)');
  }
  if ('kid' in header && (typeof header.kid !== 'string' || !isAbsoluteUri(header.kid))) {
    errors.push(`header.kid: must be a URI that dereferences to the public JWK (§8.2.3), got ${shown(header.kid)}`);
  }
  if ('jwk' in header) {
    if (!isRecord(header.jwk) || typeof header.jwk.kty !== 'string') {
      errors.push(`header.jwk: must be a JWK object with "kty" (§8.2.3, B.6.2), got ${shown(header.jwk)}`);
    } else if ('d' in header.jwk) {
      errors.push('header.jwk: holds a private key ("d"); §8.2.3: the JWK MUST never contain "d"');
    }
  }

  // §8.2.4 JWT payload: the credential itself
  if ('vc' in payload) {
    errors.push('payload.vc: not allowed: the payload is the OpenBadgeCredential itself (§8.2.4), not a VC 1.1 "vc" wrapper');
  }
  errors.push(...check('payload', payload));

  const issuer = payload.issuer;
  const issuerId = typeof issuer === 'string' ? issuer : isRecord(issuer) ? issuer.id : undefined;
  claimEquals(errors, payload, 'iss', issuerId, 'issuer.id');
  claimEquals(errors, payload, 'jti', payload.id, 'id');

  const subject = isRecord(payload.credentialSubject) ? payload.credentialSubject : undefined;
  if (subject && 'id' in subject) {
    claimEquals(errors, payload, 'sub', subject.id, 'credentialSubject.id');
  } else if ('sub' in payload) {
    errors.push(`payload.sub: ${shown(payload.sub)} matches no credentialSubject.id (the subject has none)`);
  }

  const nbf = numericDateEquals(errors, payload, 'nbf', payload.validFrom, 'validFrom');
  let exp: number | undefined;
  if ('validUntil' in payload) {
    exp = numericDateEquals(errors, payload, 'exp', payload.validUntil, 'validUntil');
  } else if ('exp' in payload) {
    errors.push(`payload.exp: ${shown(payload.exp)} without a validUntil (§8.2.6.1: exp sets validUntil, so it must equal one)`);
  }

  if (rules.at) {
    const now = Math.floor(rules.at.getTime() / 1000);
    if (nbf !== undefined && nbf > now) errors.push(`payload.nbf: not valid yet (validFrom ${String(payload.validFrom)})`);
    if (exp !== undefined && exp <= now) errors.push(`payload.exp: expired (validUntil ${String(payload.validUntil)})`);
  }

  return result(errors);
}

/** Splits a compact JWS and applies {@link validateVcJwtPayload} (no signature check). */
export function validateVcJwt(compactJws: string, rules: VcJwtRules = {}): ValidationResult {
  const parts = compactJws.split('.');
  if (parts.length !== 3 || !new RegExp(COMPACT_JWS_PATTERN).test(compactJws)) {
    return result(['jws: not a compact JWS (three base64url parts separated by ".")']);
  }
  const [header, payload] = parts.slice(0, 2).map((part) => {
    try {
      const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      return isRecord(value) ? value : undefined;
    } catch {
      return undefined;
    }
  });
  if (!header) return result(['jws: the header is not a base64url-encoded JSON object']);
  if (!payload) return result(['jws: the payload is not a base64url-encoded JSON object']);
  return validateVcJwtPayload(header, payload, rules);
}

function isAbsoluteUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value);
}

function claimEquals(errors: string[], payload: Record<string, unknown>, claim: string, expected: unknown, member: string): void {
  if (!(claim in payload)) {
    errors.push(`payload.${claim}: missing (§8.2.4: must be the credential's ${member})`);
  } else if (typeof expected === 'string' && payload[claim] !== expected) {
    errors.push(`payload.${claim}: must equal ${member} ${JSON.stringify(expected)}, got ${shown(payload[claim])}`);
  } else if (typeof payload[claim] !== 'string') {
    errors.push(`payload.${claim}: must be a URI string, got ${shown(payload[claim])}`);
  }
}

/** Checks a NumericDate claim against a DateTimeZ member; returns the claim when it is an integer. */
function numericDateEquals(
  errors: string[],
  payload: Record<string, unknown>,
  claim: string,
  dateTime: unknown,
  member: string,
): number | undefined {
  const value = payload[claim];
  if (!(claim in payload)) {
    errors.push(`payload.${claim}: missing (§8.2.4: must be the credential's ${member} in seconds)`);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    errors.push(`payload.${claim}: must be a NumericDate (integer seconds, B.7), got ${shown(value)}`);
    return undefined;
  }
  const millis = typeof dateTime === 'string' ? Date.parse(dateTime) : NaN;
  if (!Number.isNaN(millis) && Math.floor(millis / 1000) !== value) {
    const asDate = new Date(value * 1000).toISOString();
    errors.push(`payload.${claim}: ${value} (${asDate}) must equal ${member} ${JSON.stringify(dateTime)} in seconds (${Math.floor(millis / 1000)})`);
  }
  return value;
}
