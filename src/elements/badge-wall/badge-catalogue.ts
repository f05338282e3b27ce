import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { addMessages } from '../../internal/i18n.js';
import { StoreController } from '../../internal/store-controller.js';
import { catalogueStore, reloadCatalogue } from '../../stores/badge-catalogue.js';
import type { Award, BadgeState, Catalogue } from '../../stores/badges.js';
import { badgeCatalogueStyles } from './badge-catalogue.styles.js';
import { awardStatus, badgeImage, entry, joinStyles, type BadgeWallFrame } from './badge-parts.js';
import { badgeCatalogueMessages } from './catalogue-messages.js';
// Nothing is used from it: the wall's module puts what the wall and this part share (the helpers,
// the stores, the strings) in the wall's chunk, which is always loaded before this one, rather than
// in a chunk of their own that every wall would have to fetch.
import './badge-wall.js';

// German comes with the wall's translation, which the wall loads before the catalogue renders.
addMessages(badgeCatalogueMessages, {});

/**
 * A community's badge catalogue, with how many earned each and who earned one lately: what a badge
 * wall without `user` shows. Its own chunk, so a person's wall never loads it. Internal: the badge
 * wall renders it below its title, into the wall's own shadow root, and lends it its grid, filter,
 * details dialog and live announcements (`frame`). It fires no events: opening a badge goes through
 * the frame, and the wall fires `guild-badge-open`.
 *
 * @tag guild-badge-catalogue
 * @summary Internal part of `<guild-badge-wall>`: the community catalogue it shows without `user`. Not for use on its own.
 */
export class GuildBadgeCatalogue extends LitElement {
  /** The wall this catalogue draws in; a new one with every render of the wall. */
  @property({ attribute: false }) frame: BadgeWallFrame | undefined;

  readonly #catalogue = new StoreController<BadgeState<Catalogue>>(this);

  /** No shadow root of its own: see the class comment. */
  protected override createRenderRoot(): HTMLElement {
    joinStyles(this, badgeCatalogueStyles);
    return this;
  }

  override willUpdate(): void {
    const { frame } = this;
    if (frame) this.#catalogue.store = catalogueStore(frame.connection, frame.community);
  }

  override updated(): void {
    this.frame?.changed(this.#catalogue.value);
  }

  #renderRecent(frame: BadgeWallFrame, recent: Award[], now: number): TemplateResult {
    const { i18n } = frame;
    const f = i18n.formatters;
    const items = recent.map((award) => {
      const item = entry({ kind: 'award', award });
      return html`<li part="recent" class=${award.id === frame.celebrating ? 'celebrate' : ''}>
        ${badgeImage(this, award.achievement, frame.connection.api)}
        <span>
          <button type="button" class="link" data-key=${item.key} @click=${() => frame.open(item)}>
            ${i18n.t('badgeRecentEntry', award.recipient.name, award.achievement.name)}
          </button>
          <time datetime=${award.validFrom} title=${f.dateTime(award.validFrom)}>${awardStatus(award, now) === 'expired' ? `${i18n.t('badgeExpired')} · ` : ''}${f.relative(award.validFrom)}</time>
        </span>
      </li>`;
    });
    return html`<div class="section">
      <h3>${i18n.t('badgeRecentTitle')}</h3>
      ${items.length ? html`<ul class="recent" @pointerover=${frame.intent} @focusin=${frame.intent}>${items}</ul>` : html`<p class="note">${i18n.t('badgeRecentEmpty')}</p>`}
    </div>`;
  }

  override render(): TemplateResult | typeof nothing {
    const { frame } = this;
    if (!frame) return nothing;
    const { i18n } = frame;
    const value = this.#catalogue.value;
    const catalogue = value?.data;
    if (!catalogue && value?.status === 'error') return frame.failed(value.error, () => reloadCatalogue(frame.connection, frame.community));
    if (!catalogue) return frame.loading();
    if (!catalogue.achievements.length) return html`<p class="note">${i18n.t('badgeCatalogueEmpty')}</p>`;
    const now = Date.now();
    const all = catalogue.achievements.map((achievement) => entry({ kind: 'catalogue', achievement }));
    const shown = all.filter((item) => frame.inCategory(item));
    return html`${this.#renderRecent(frame, catalogue.recent, now)}
      <div class="section">
        <h3>${i18n.t('badgeCatalogueAll')}</h3>
        ${frame.filter(all)} ${shown.length ? frame.grid(shown, 'all', now) : html`<p class="note">${i18n.t('badgeEmptyCategory')}</p>`}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-badge-catalogue': GuildBadgeCatalogue;
  }
}
