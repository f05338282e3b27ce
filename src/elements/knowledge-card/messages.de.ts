import type { Formatters } from '../../internal/i18n.js';
import type { cardEditorMessages } from './editor-messages.js';
import type { knowledgeCardMessages } from './messages.js';
import type { cardPanelMessages } from './panel-messages.js';

const days = new Map<string, Intl.DateTimeFormat>();
/** Ein Tag ohne Uhrzeit ("29.11.2026"). */
function day(f: Formatters, iso: string): string {
  let format = days.get(f.locale);
  if (!format) {
    format = new Intl.DateTimeFormat(f.locale, { dateStyle: 'medium' });
    days.set(f.locale, format);
  }
  return format.format(new Date(iso));
}

export default {
  cardLoading: 'Karte wird geladen…',
  cardLoadFailed: 'Die Karte konnte nicht geladen werden:',
  cardNotFound: 'Diese Karte gibt es nicht, oder sie ist nicht für dich freigegeben.',
  cardDraft: 'Entwurf',
  cardLabel: (_f: Formatters, title: string) => `Wissenskarte: ${title}`,
  trustVerified: (f: Formatters, name: string, iso: string) => `Bestätigt von ${name} am ${day(f, iso)}`,
  trustReviewBy: (f: Formatters, iso: string) => `prüfen bis ${day(f, iso)}`,
  trustNeedsReview: 'Prüfung fällig',
  trustReviewWasDue: (f: Formatters, iso: string) => `Prüfung war fällig am ${day(f, iso)}`,
  trustLastVerified: (f: Formatters, name: string, iso: string) => `zuletzt bestätigt von ${name} am ${day(f, iso)}`,
  trustOutdated: (_f: Formatters, reason: string) => `Veraltet: ${reason}`,
  trustFlaggedBy: (f: Formatters, name: string, iso: string) => `gemeldet von ${name} am ${day(f, iso)}`,
  trustUnverified: 'Nicht bestätigt',
  cardBy: (_f: Formatters, name: string) => `Von ${name}`,
  cardCredited: (_f: Formatters, name: string) => `Aus einer Antwort von ${name}`,
  cardExperts: (f: Formatters, names: string[]) => `Fachleute: ${f.list(names)}`,
  cardTags: 'Schlagwörter',
  cardEditedBy: (f: Formatters, name: string, versions: number) =>
    `Bearbeitet von ${name} · ${f.plural(versions, { one: `${f.number(versions)} Version`, other: `${f.number(versions)} Versionen` })}`,
  cardHistory: 'Versionsverlauf',
  cardHistoryLoading: 'Versionen werden geladen…',
  cardHistoryFailed: (_f: Formatters, reason: string) => `Die Versionen konnten nicht geladen werden: ${reason}`,
  cardVersion: (f: Formatters, version: number, name: string, iso: string) => `Version ${f.number(version)} · ${name} · ${f.dateTime(iso)}`,
  cardHelpful: 'War das hilfreich?',
  cardHelpfulYes: 'Ja',
  cardHelpfulNo: 'Nein',
  cardHelpfulCount: (f: Formatters, count: number) =>
    f.plural(count, { zero: 'Noch keine Stimmen', one: `${f.number(count)} fand sie hilfreich`, other: `${f.number(count)} fanden sie hilfreich` }),
  cardViews: (f: Formatters, count: number) => f.plural(count, { one: `${f.number(count)} Aufruf`, other: `${f.number(count)} Aufrufe` }),
  cardVoteFailed: (_f: Formatters, reason: string) => `Deine Stimme wurde nicht gespeichert: ${reason}`,
  cardActions: 'Aktionen zur Karte',
  cardEdit: 'Bearbeiten',
  cardVerify: 'Bestätigen',
  cardFlag: 'Als veraltet melden',
  cardCopyLink: 'Link kopieren',
  cardLinkCopied: 'Link kopiert.',
  cardCopyManually: 'Diesen Link kopieren:',
  cardVerifyLegend: 'Bestätigen, dass diese Karte stimmt',
  cardVerifyInterval: 'Erneut prüfen in (Tagen, optional)',
  cardVerifySend: 'Jetzt bestätigen',
  cardVerifiedDone: 'Bestätigt. Danke!',
  cardFlagLabel: 'Was ist veraltet?',
  cardFlagSend: 'Meldung senden',
  cardFlaggedDone: 'Als veraltet gemeldet: Autorin, Autor und Fachleute werden benachrichtigt.',
  cardCancel: 'Abbrechen',
  cardActionFailed: (_f: Formatters, reason: string) => `Das hat nicht geklappt: ${reason}`,
  cardRelated: 'Verwandte Karten',
  cardSignIn: 'Melde dich an, um abzustimmen, zu melden oder zu bearbeiten.',
  cardNewSignIn: 'Melde dich an, um eine Karte zu schreiben.',
  cardNoticeFlagged: (_f: Formatters, name: string, reason: string) => `${name} hat diese Karte als veraltet gemeldet: ${reason}`,
  cardNoticeEdited: (f: Formatters, name: string, version: number) => `${name} hat diese Karte bearbeitet (Version ${f.number(version)}).`,
  cardDismiss: 'Schließen',
  cardSomeone: 'Jemand',
  cardSavedVersion: (f: Formatters, version: number) => `Als Version ${f.number(version)} gespeichert.`,
  cardPublishedDone: 'Veröffentlicht.',
  cardDraftSavedDone: 'Entwurf gespeichert.',
  cardConflict: (f: Formatters, name: string, version: number) =>
    `${name} hat Version ${f.number(version)} gespeichert, während du bearbeitet hast. Nichts wurde überschrieben, dein Text bleibt hier erhalten.`,
  cardSaveFailed: (_f: Formatters, reason: string) => `Nicht gespeichert: ${reason} Dein Text bleibt erhalten.`,
  editorNotConnected: 'Nicht gespeichert: Dieser Editor ist mit keinem Guildkit-Server verbunden. Dein Text bleibt erhalten.',
  cardTagTitle: (_f: Formatters, tag: string) => `Karten mit dem Schlagwort „${tag}“`,
  cardDraftsTitle: 'Entwürfe',
  cardListEmpty: 'Hier gibt es noch keine Karten.',
  cardListLoading: 'Karten werden geladen…',
  cardEditorLoading: 'Der Editor wird geladen…',
  cardEditorFailed: 'Der Editor konnte nicht geladen werden.',
  cardPanelLoading: 'Wird geladen…',
  cardPanelFailed: 'Dieser Teil der Karte konnte nicht geladen werden.',

  editorNew: 'Neue Karte',
  editorEdit: 'Karte bearbeiten',
  editorTitle: 'Titel',
  editorSummary: 'Zusammenfassung (optional)',
  editorBody: 'Inhalt',
  editorTags: 'Schlagwörter, durch Kommas getrennt',
  editorTagsHelp: 'Kleinbuchstaben, Ziffern und Bindestriche, z. B. onboarding, ci-setup.',
  editorMarkdownHelp: 'Markdown geht: **fett**, _kursiv_, `Code`, Listen, > Zitate, Links.',
  editorPreview: 'Vorschau',
  editorPreviewHeading: 'Vorschau des Inhalts',
  editorNothingToPreview: 'Noch nichts für die Vorschau.',
  editorTitleMissing: 'Gib der Karte einen Titel.',
  editorBodyMissing: 'Schreib den Inhalt der Karte.',
  editorTooLong: (f: Formatters, max: number) => `Höchstens ${f.number(max)} Zeichen.`,
  editorBadTag: (_f: Formatters, tag: string) =>
    `„${tag}“ ist kein Schlagwort: Erlaubt sind Kleinbuchstaben, Ziffern und Bindestriche (höchstens 40), am Anfang ein Buchstabe oder eine Ziffer.`,
  editorTooManyTags: (f: Formatters, max: number) => `Höchstens ${f.number(max)} Schlagwörter.`,
  editorSaveDraft: 'Entwurf speichern',
  editorPublish: 'Veröffentlichen',
  editorSave: 'Änderungen speichern',
  editorCancel: 'Abbrechen',
  editorSaving: 'Wird gespeichert…',
  editorDraftKept: 'Auf diesem Gerät aufbewahrt, bis gespeichert ist.',
  editorDraftNotKept: 'Dieser Browser bewahrt keine Kopie auf: Kopiere deinen Text, bevor du gehst.',
  editorSeeLatest: 'Neueste Version ansehen',
  editorHideLatest: 'Neueste Version ausblenden',
  editorLatestHeading: (f: Formatters, version: number) => `Version ${f.number(version)}, wie gespeichert`,
  editorOverwrite: (f: Formatters, version: number) => `Meine Fassung auf Version ${f.number(version)} speichern`,
} satisfies typeof knowledgeCardMessages & typeof cardEditorMessages & typeof cardPanelMessages;
