import type { Formatters } from '../../internal/i18n.js';

/** The verification's English strings, in the verification's own chunk (German is in `messages.de.ts`). */
export const badgeVerificationMessages = {
  verifyChecking: 'Checking the credential…',
  verifyVerified: 'Verified',
  verifyExpired: 'Expired',
  verifyRevoked: 'Revoked',
  verifyInvalid: 'Could not verify',
  verifyVerifiedDetail: (f: Formatters, issuer: string, validUntil: string) =>
    `Signed by ${issuer}, not revoked, ${validUntil ? `valid until ${f.dateTime(validUntil)}` : 'with no expiry'}.`,
  verifyExpiredDetail: (f: Formatters, validUntil: string) => `Its validity ended ${f.dateTime(validUntil)}.`,
  verifyRevokedDetail: 'The issuer revoked this credential.',
  verifyUnreachable: (_f: Formatters, reason: string) => `The credential or the issuer’s keys could not be fetched: ${reason}`,
  verifyStatusUnreachable: (_f: Formatters, reason: string) => `The revocation list could not be fetched: ${reason}`,
  verifyMalformed: 'It is not a signed credential.',
  verifyAlgorithm: (_f: Formatters, alg: string) => `It is signed with “${alg}”, not with an Ed25519 key (EdDSA).`,
  verifyUnknownKey: 'It is signed with a key the issuer does not publish.',
  verifySignature: 'Its signature does not match: it was changed after it was signed, or someone other than the issuer signed it.',
  verifyIssuer: 'It names a different issuer.',
  verifyNotABadge: 'It is not an Open Badges credential.',
  verifyOtherAward: 'It belongs to a different award.',
  verifyNotYetValid: (f: Formatters, validFrom: string) => `It is not valid before ${f.dateTime(validFrom)}.`,
  verifyStatusList: 'Its revocation status could not be checked: the revocation list is unsigned, unreadable or does not cover it.',
  verifyRetry: 'Check again',
};
