import type { Formatters } from '../../internal/i18n.js';

/** The catalogue view's English strings, in the catalogue's own chunk (German is in `messages.de.ts`). */
export const badgeCatalogueMessages = {
  badgeCatalogueAll: 'All badges',
  badgeRecentTitle: 'Recently awarded',
  badgeRecentEntry: (_f: Formatters, person: string, badge: string) => `${person} earned ${badge}`,
  badgeCatalogueEmpty: 'This community has no badges yet.',
  badgeRecentEmpty: 'No awards yet: the first one will show here.',
};
