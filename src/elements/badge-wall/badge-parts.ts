// What the badge wall shares with its lazily loaded parts (`<guild-badge-detail>`,
// `<guild-badge-catalogue>`). Internal: not part of Guildkit's API (every export is `@internal`, so the
// manifest leaves it out), and may change with the wall. The parts also import the wall's module, so
// this one lands in the wall's chunk, not in a chunk of its own that every wall would fetch.
import { html, nothing, type CSSResult, type ReactiveElement, type TemplateResult } from 'lit';
import type { Connection } from '../../api/client.js';
import type { Translator } from '../../internal/i18n.js';
import { initials } from '../../internal/people.js';
import { safeUrl } from '../../internal/safe-url.js';
import type { Achievement, Award, BadgeProgress, BadgeState, Catalogue } from '../../stores/badges.js';

/**
 * What a badge's details show: an award, progress toward one, or an achievement not earned.
 * @internal
 */
export type Detail =
  | { kind: 'award'; award: Award }
  | { kind: 'progress'; progress: BadgeProgress }
  | { kind: 'locked'; achievement: Achievement }
  | { kind: 'catalogue'; achievement: Achievement };

/**
 * One badge as the grid lists it; `key` names its button (focus returns there when the details close).
 * @internal
 */
export interface Entry {
  key: string;
  detail: Detail;
}

/** @internal */
export function achievementOf(detail: Detail): Achievement {
  switch (detail.kind) {
    case 'award':
      return detail.award.achievement;
    case 'progress':
      return detail.progress.achievement;
    default:
      return detail.achievement;
  }
}

/** @internal */
export function entry(detail: Detail): Entry {
  const id = detail.kind === 'award' ? detail.award.id : achievementOf(detail).id;
  return { key: `${detail.kind}:${id}`, detail };
}

/**
 * `Revoked`, `Expired` (also when its date passed since the server answered) or `Completed`.
 * @internal
 */
export function awardStatus(award: Award, now: number): 'revoked' | 'expired' | 'earned' {
  if (award.result.status === 'Revoked') return 'revoked';
  if (award.result.status === 'Expired' || (award.validUntil !== undefined && Date.parse(award.validUntil) <= now)) return 'expired';
  return 'earned';
}

/**
 * What the catalogue view (its own chunk) draws with: the wall's grid, filter, details dialog and
 * live announcements.
 * @internal
 */
export interface BadgeWallFrame {
  readonly i18n: Translator;
  readonly connection: Connection;
  readonly community: string | undefined;
  /** The award that arrived live and is highlighted now. */
  readonly celebrating: string | undefined;
  /** Someone reaches for a badge: its details' code starts loading. */
  readonly intent: () => void;
  grid(entries: Entry[], section: string, now: number): TemplateResult;
  filter(entries: Entry[]): TemplateResult | typeof nothing;
  inCategory(item: Entry): boolean;
  loading(): TemplateResult;
  failed(error: unknown, retry: () => void): TemplateResult;
  open(item: Entry): void;
  /** The catalogue as it changes: the wall celebrates new awards, is busy and keeps an open badge current from it. */
  changed(value: BadgeState<Catalogue> | undefined): void;
}

/**
 * Sub-elements that render into the wall's shadow root (no shadow root of their own, so the wall's
 * ids, parts and focus handling reach their content) bring their styles to that root, once.
 *
 * Appended once per root and never removed: Lit sets the root's sheets only when it creates the root,
 * so an appended one stays for the wall's life; the sheet is one shared object, so a root that holds
 * it costs nothing more; and a part comes and goes with the dialog, so removing its sheet would only
 * make the next one add it again. Order never matters: every rule of a part's sheet starts with the
 * part's tag, so it reaches only the part's content and outranks any rule of the wall's own sheets
 * with the same selector, whichever sheet came first.
 * @internal
 */
export function joinStyles(element: Element, styles: CSSResult): void {
  const root = element.getRootNode();
  const sheet = styles.styleSheet;
  if (root instanceof ShadowRoot && sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** Image URLs that failed to load on this page: every wall shows those badges' initials instead. */
const brokenImages = new Set<string>();

/**
 * A badge's image, only ever an `<img>`: an SVG from a badge can never run inside the page this way.
 * @internal
 */
export function badgeImage(host: ReactiveElement, achievement: Achievement, api: string): TemplateResult {
  const src = safeUrl(achievement.image.id, api);
  // A missing or broken image shows the badge's initials instead of a broken-image icon.
  const broken = () => {
    if (!src) return;
    brokenImages.add(src);
    host.requestUpdate();
  };
  return src && !brokenImages.has(src)
    ? html`<img class="image" src=${src} alt="" loading="lazy" decoding="async" @error=${broken} />`
    : html`<span class="image" aria-hidden="true">${initials(achievement.name)}</span>`;
}

/** @internal */
export function badgeTags(achievement: Achievement, i18n: Translator): TemplateResult | typeof nothing {
  const tags = achievement.tags ?? [];
  return tags.length ? html`<ul class="tags" aria-label=${i18n.t('badgeTags')}>${tags.map((tag) => html`<li>${tag}</li>`)}</ul>` : nothing;
}

/**
 * "3 of 5 kudos for Mentoring", with the value's label once it has loaded.
 * @internal
 */
export function progressText(i18n: Translator, progress: BadgeProgress, labels: Record<string, string>): string {
  const measure = progress.achievement.measure;
  const value = measure?.value;
  return i18n.t('badgeProgress', measure?.kind ?? '', progress.current, progress.target, value ? (labels[value] ?? value) : '');
}
