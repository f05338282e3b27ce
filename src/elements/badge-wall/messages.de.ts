import type { Formatters } from '../../internal/i18n.js';
import type { badgeCatalogueMessages } from './catalogue-messages.js';
import type { badgeDetailMessages } from './detail-messages.js';
import type { badgeWallMessages } from './messages.js';
import type { badgeVerificationMessages } from './verification-messages.js';

/** "3 von 5 akzeptierten Antworten" (dative after "von"), "Ziel: 5 akzeptierte Antworten". */
function counted(f: Formatters, kind: string, target: number, value: string, dative: boolean): string {
  switch (kind) {
    case 'comments':
      return f.plural(target, { one: 'Kommentar', other: dative ? 'Kommentaren' : 'Kommentare' });
    case 'accepted-answers':
      return f.plural(target, { one: dative ? 'akzeptierten Antwort' : 'akzeptierte Antwort', other: dative ? 'akzeptierten Antworten' : 'akzeptierte Antworten' });
    case 'kudos-received':
      return value ? `Kudos für ${value}` : dative ? 'erhaltenen Kudos' : 'erhaltene Kudos';
    case 'cards-written':
      return f.plural(target, { one: dative ? 'geschriebenen Karte' : 'geschriebene Karte', other: dative ? 'geschriebenen Karten' : 'geschriebene Karten' });
    case 'cards-verified':
      return f.plural(target, { one: dative ? 'bestätigten Karte' : 'bestätigte Karte', other: dative ? 'bestätigten Karten' : 'bestätigte Karten' });
    default:
      return '';
  }
}

export default {
  badgeWallMine: 'Deine Abzeichen',
  badgeWallOf: (_f: Formatters, name: string) => `Abzeichen von ${name}`,
  badgeWallUnnamed: 'Abzeichen',
  badgeCatalogueTitle: 'Abzeichen der Community',
  badgeCatalogueAll: 'Alle Abzeichen',
  badgeRecentTitle: 'Zuletzt verliehen',
  badgeSectionEarned: 'Erhalten',
  badgeSectionInProgress: 'In Arbeit',
  badgeSectionLocked: 'Noch gesperrt',
  badgeSummary: (f: Formatters, earned: number, inProgress: number, locked: number | undefined) =>
    [`${f.number(earned)} erhalten`, `${f.number(inProgress)} in Arbeit`, ...(locked === undefined ? [] : [`${f.number(locked)} gesperrt`])].join(' · '),
  badgeEarnedAgo: (f: Formatters, iso: string) => `Erhalten ${f.relative(iso)}`,
  badgeExpired: 'Abgelaufen',
  badgeRevoked: 'Widerrufen',
  badgeLocked: 'Gesperrt',
  badgeProgress: (f: Formatters, kind: string, current: number, target: number, value: string) =>
    kind === 'facilitator'
      ? current >= target
        ? 'Moderatorin oder Moderator'
        : 'Moderatorin oder Moderator werden'
      : `${f.number(current)} von ${f.number(target)} ${counted(f, kind, target, value, true)}`,
  badgeGoal: (f: Formatters, kind: string, target: number, value: string) =>
    kind === 'facilitator' ? 'Ziel: Moderatorin oder Moderator werden' : `Ziel: ${f.number(target)} ${counted(f, kind, target, value, false)}`,
  badgeByHand: 'Wird von der Moderation verliehen',
  badgeEarnedBy: (f: Formatters, count: number) =>
    f.plural(count, { zero: 'Noch von niemandem erhalten', one: `Von ${f.number(count)} Person erhalten`, other: `Von ${f.number(count)} Personen erhalten` }),
  badgeRecentEntry: (_f: Formatters, person: string, badge: string) => `${person} hat ${badge} erhalten`,
  badgeCelebrateMine: (_f: Formatters, badge: string) => `Glückwunsch! Du hast das Abzeichen „${badge}“ erhalten.`,
  badgeCelebrateOther: (_f: Formatters, person: string, badge: string) => `${person} hat das Abzeichen „${badge}“ erhalten.`,
  badgeFilterLegend: 'Kategorie',
  badgeFilterAll: 'Alle',
  badgeTags: 'Schlagwörter',
  badgeEmpty: 'Noch keine Abzeichen.',
  badgeEmptyCategory: 'Keine Abzeichen in dieser Kategorie.',
  badgeCatalogueEmpty: 'Diese Community hat noch keine Abzeichen.',
  badgeRecentEmpty: 'Noch nichts verliehen: die erste Verleihung erscheint hier.',
  badgeLoading: 'Abzeichen werden geladen…',
  badgeLoadFailed: 'Die Abzeichen konnten nicht geladen werden:',
  badgeNotFound: 'Für diese Person gibt es keine Abzeichen.',
  badgeSignIn: 'Melde dich an, um deine Abzeichen zu sehen.',
  badgeClose: 'Schließen',
  badgeDetailLoading: 'Die Angaben werden geladen…',
  badgeDetailUnavailable: 'Die Angaben konnten nicht geladen werden.',
  badgeCatalogueUnavailable: 'Der Abzeichenkatalog konnte nicht geladen werden.',
  badgeDescription: 'Beschreibung',
  badgeCriteria: 'Kriterien',
  badgeEvidence: 'Nachweise',
  badgeSkills: 'Kompetenzen',
  badgeDetails: 'Angaben',
  badgeCategory: 'Kategorie',
  badgeIssuer: 'Ausgestellt von',
  badgeRecipient: 'Verliehen an',
  badgeIssued: 'Ausgestellt am',
  badgeValidUntil: 'Gültig bis',
  badgeNoExpiry: 'Läuft nicht ab',
  badgeValidity: (f: Formatters, days: number) =>
    f.plural(days, { one: `Läuft ${f.number(days)} Tag nach der Verleihung ab`, other: `Läuft ${f.number(days)} Tage nach der Verleihung ab` }),
  badgeAwardedBy: 'Verliehen durch',
  badgeAwardedForActivity: 'Automatisch für Aktivität verliehen',
  badgeRevokedBecause: (_f: Formatters, reason: string) => `Widerrufen: ${reason}`,
  badgeVerification: 'Prüfung',
  badgeVerifyLoading: 'Der Nachweis wird geprüft…',
  badgeVerifyUnavailable: 'Nicht prüfbar: der Prüfcode konnte nicht geladen werden.',
  badgeCopyLink: 'Prüflink kopieren',
  badgeLinkCopied: 'Link kopiert.',
  badgeCopyManually: 'Diesen Link kopieren:',
  badgeLinkedIn: 'Zum LinkedIn-Profil hinzufügen',
  badgeNewTab: '(öffnet in einem neuen Tab)',
  badgeDownload: 'Nachweis herunterladen (JSON)',
  badgeDownloaded: 'Nachweis heruntergeladen.',
  badgeDownloadFailed: (_f: Formatters, reason: string) => `Der Nachweis konnte nicht heruntergeladen werden: ${reason}`,

  verifyChecking: 'Der Nachweis wird geprüft…',
  verifyVerified: 'Geprüft',
  verifyExpired: 'Abgelaufen',
  verifyRevoked: 'Widerrufen',
  verifyInvalid: 'Nicht prüfbar',
  verifyVerifiedDetail: (f: Formatters, issuer: string, validUntil: string) =>
    `Signiert von ${issuer}, nicht widerrufen, ${validUntil ? `gültig bis ${f.dateTime(validUntil)}` : 'ohne Ablaufdatum'}.`,
  verifyExpiredDetail: (f: Formatters, validUntil: string) => `Die Gültigkeit endete am ${f.dateTime(validUntil)}.`,
  verifyRevokedDetail: 'Die ausstellende Stelle hat diesen Nachweis widerrufen.',
  verifyUnreachable: (_f: Formatters, reason: string) => `Der Nachweis oder die Schlüssel der ausstellenden Stelle konnten nicht abgerufen werden: ${reason}`,
  verifyStatusUnreachable: (_f: Formatters, reason: string) => `Die Widerrufsliste konnte nicht abgerufen werden: ${reason}`,
  verifyMalformed: 'Das ist kein signierter Nachweis.',
  verifyAlgorithm: (_f: Formatters, alg: string) => `Er ist mit „${alg}“ signiert, nicht mit einem Ed25519-Schlüssel (EdDSA).`,
  verifyUnknownKey: 'Er ist mit einem Schlüssel signiert, den die ausstellende Stelle nicht veröffentlicht.',
  verifySignature: 'Die Signatur passt nicht: Der Nachweis wurde nach dem Signieren verändert oder nicht von der ausstellenden Stelle signiert.',
  verifyIssuer: 'Er nennt eine andere ausstellende Stelle.',
  verifyNotABadge: 'Das ist kein Open-Badges-Nachweis.',
  verifyOtherAward: 'Er gehört zu einer anderen Verleihung.',
  verifyNotYetValid: (f: Formatters, validFrom: string) => `Er ist erst ab ${f.dateTime(validFrom)} gültig.`,
  verifyStatusList: 'Der Widerrufsstatus ließ sich nicht prüfen: Die Widerrufsliste ist nicht signiert, nicht lesbar oder deckt ihn nicht ab.',
  verifyRetry: 'Erneut prüfen',
} satisfies typeof badgeWallMessages & typeof badgeCatalogueMessages & typeof badgeDetailMessages & typeof badgeVerificationMessages;
