import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { GuildElement } from '../../internal/guild-element.js';
import { addMessages } from '../../internal/i18n.js';
import { initials } from '../../internal/people.js';
import { StoreController } from '../../internal/store-controller.js';
import { themeStyles } from '../../internal/theme.js';
import { signedInId, sessionStore, type Session } from '../../stores/session.js';
import {
  declineKudos,
  feedKey,
  feedStore,
  reload,
  setSpotlightOptOut,
  spotlightKey,
  spotlightStore,
  type Feed,
  type Kudos,
  type Loaded,
  type Spotlight,
  type SpotlightEntry,
  type SpotlightMode,
  type SpotlightPeriod,
} from '../../stores/spotlight.js';
import { spotlightMessages, spotlightTranslations } from './messages.js';

addMessages(spotlightMessages, spotlightTranslations);

const PERIODS = new Set<SpotlightPeriod>(['week', 'month', 'quarter']);

/**
 * Celebrates the people of a community: who was thanked most and for which values, who helped with
 * accepted answers, who became a facilitator. By default it celebrates without ranking anyone;
 * `mode="leaderboard"` ranks, unless the community forbids rankings. `view="feed"` shows recent
 * public kudos with their messages instead. Both follow live changes. People can opt out.
 *
 * @tag guild-spotlight
 * @summary Celebrate engaged members; or the feed of recent kudos.
 *
 * @csspart base - The whole spotlight.
 * @csspart title - The heading.
 * @csspart entry - One person's achievement, or one kudos in the feed.
 * @csspart reason - Why they are celebrated ("12 kudos for mentoring").
 * @csspart opt-out - The "Show me in spotlights" switch.
 * @csspart error - A failure to load, with its retry button.
 *
 * @cssprop --guild-color-accent - Highlights and avatars (default: `#2563eb`).
 * @cssprop --guild-color-text - Text (default: `#1f2937`).
 * @cssprop --guild-color-muted - Secondary text (default: `#4b5563`).
 * @cssprop --guild-color-surface - Background (default: `#ffffff`).
 * @cssprop --guild-color-border - Borders (default: `#d1d5db`).
 * @cssprop --guild-color-danger - Errors (default: `#b91c1c`).
 * @cssprop --guild-font-family - Font (default: inherited).
 * @cssprop --guild-font-size - Base size (default: `15px`).
 */
export class GuildSpotlight extends GuildElement {
  protected static override formatsDates = true;
  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
      }
      .base {
        padding: 0.8em 1em;
        border: 1px solid var(--_border);
        border-radius: 12px;
        background: var(--_surface);
      }
      h2 {
        margin: 0 0 0.6em;
        font-size: var(--_large);
      }
      h2:focus {
        outline: none;
      }
      ol,
      ul {
        display: grid;
        gap: 0.5em;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: flex;
        align-items: flex-start;
        gap: 0.6em;
      }
      .avatar {
        display: inline-grid;
        flex: none;
        place-items: center;
        inline-size: 2.2em;
        block-size: 2.2em;
        border-radius: 50%;
        background: color-mix(in srgb, var(--_accent) 18%, var(--_surface));
        font-size: var(--_small);
        font-weight: 600;
      }
      .rank {
        min-inline-size: 2.5em;
        color: var(--_accent);
        font-weight: 600;
      }
      .who {
        display: grid;
      }
      .reason,
      .note,
      time {
        color: var(--_muted);
        font-size: var(--_small);
      }
      .message {
        margin: 0.2em 0 0;
      }
      .error {
        color: var(--_danger);
      }
      button,
      textarea {
        font: inherit;
      }
      button {
        min-block-size: 2em;
        padding-inline: 0.7em;
        border: 1px solid var(--_border);
        border-radius: 6px;
        background: var(--_surface);
        color: var(--_text);
        cursor: pointer;
      }
      button:focus-visible,
      input:focus-visible,
      textarea:focus-visible {
        outline: 2px solid transparent;
        box-shadow: var(--_focus);
      }
      textarea {
        box-sizing: border-box;
        inline-size: 100%;
        border: 1px solid var(--_border);
        border-radius: 6px;
        background: var(--_surface);
        color: var(--_text);
      }
      .opt-out {
        display: flex;
        align-items: center;
        gap: 0.4em;
        margin-block-start: 0.8em;
        color: var(--_muted);
        font-size: var(--_small);
      }
      .skeleton {
        block-size: 2.2em;
        border-radius: 8px;
        background: color-mix(in srgb, var(--_text) 10%, transparent);
      }
      @media (prefers-reduced-motion: no-preference) {
        li {
          animation: guild-spotlight-in 400ms ease-out;
        }
      }
      @keyframes guild-spotlight-in {
        from {
          opacity: 0;
          transform: translateY(4px);
        }
        to {
          opacity: 1;
          transform: none;
        }
      }
    `,
  ];

  readonly #spotlight = new StoreController<Loaded<Spotlight>>(this);
  readonly #feed = new StoreController<Loaded<Feed>>(this);
  readonly #session = new StoreController<Session>(this);

  /** The community to celebrate. Defaults to the provider's or the script tag's, else my first community. */
  @property({ attribute: 'community' }) community: string | undefined;

  /** `week` (default), `month` or `quarter`: the last 7, 30 or 90 days. */
  @property({ attribute: 'period' }) period: SpotlightPeriod | undefined;

  /** `celebrate` (default: recent achievements, no ranking) or `leaderboard` (ranked, where the community allows it). */
  @property({ attribute: 'mode' }) mode: SpotlightMode | undefined;

  /** `spotlight` (default) or `feed`: recent public kudos with their messages, newest first. */
  @property({ attribute: 'view' }) view: 'spotlight' | 'feed' | undefined;

  @state() private declining: string | undefined;
  @state() private rankingRefused = false;
  @state() private announcement = '';
  @state() private actionError = '';

  get #communityId(): string | undefined {
    const configured = this.community ?? this.config.community;
    if (configured) return configured;
    const session = this.#session.value;
    return session?.status === 'ready' ? session.data?.memberships[0]?.communityId : undefined;
  }

  get #period(): SpotlightPeriod {
    return this.period && PERIODS.has(this.period) ? this.period : 'week';
  }

  get #mode(): SpotlightMode {
    return this.mode === 'leaderboard' && !this.rankingRefused ? 'leaderboard' : 'celebrate';
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('mode') || changed.has('community')) this.rankingRefused = false;
    // The community forbids rankings (a works council may): celebrate instead, and say why.
    const value = this.#spotlight.value;
    if (this.mode === 'leaderboard' && !this.rankingRefused && value?.status === 'error' && value.error?.code === 'ranking-forbidden') this.rankingRefused = true;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const connectionChanged = this.connectionChanged(changed);
    if (connectionChanged || !this.#session.store) this.#session.store = sessionStore(this.connection);
    const community = this.#communityId;
    if (this.view === 'feed') {
      this.#spotlight.store = undefined;
      this.#feed.store = feedStore(this.connection, community);
      return;
    }
    this.#feed.store = undefined;
    this.#spotlight.store = community ? spotlightStore(this.connection, community, this.#period, this.#mode) : undefined;
  }

  #reason(entry: SpotlightEntry): string {
    const { i18n } = this;
    switch (entry.kind) {
      case 'kudos-received':
        return i18n.t('reasonKudos', entry.count, entry.value?.label ?? '');
      case 'helped':
        return i18n.t('reasonHelped', entry.count);
      case 'facilitator':
        return i18n.t('reasonFacilitator');
      default:
        return i18n.t('reasonBadge', entry.count);
    }
  }

  #renderEntry(entry: SpotlightEntry, ranked: boolean): TemplateResult {
    return html`<li part="entry">
      ${ranked && entry.rank ? html`<span class="rank">${this.i18n.t('rank', entry.rank)}</span>` : nothing}
      <span class="avatar" aria-hidden="true">${initials(entry.person.name)}</span>
      <span class="who">
        <strong>${entry.person.name}</strong>
        <span class="reason" part="reason">${this.#reason(entry)}</span>
      </span>
    </li>`;
  }

  #renderOptOut(): TemplateResult | typeof nothing {
    const session = this.#session.value;
    if (session?.status !== 'ready' || !session.data) return nothing;
    const shown = !session.data.preferences?.spotlightOptOut;
    const onChange = async (event: Event) => {
      const input = event.target as HTMLInputElement;
      this.actionError = '';
      try {
        const optedOut = await setSpotlightOptOut(this.connection, !input.checked);
        this.announcement = this.i18n.t('optOutSaved', !optedOut);
        const community = this.#communityId;
        if (community) reload(this.connection, spotlightKey(community, this.#period, this.#mode));
      } catch (error) {
        input.checked = shown;
        this.actionError = this.i18n.t('actionFailed', this.i18n.reason(error));
      }
    };
    return html`<label class="opt-out" part="opt-out"><input type="checkbox" .checked=${shown} @change=${onChange} /> ${this.i18n.t('showMe')}</label>`;
  }

  #renderSpotlight(): TemplateResult {
    const { i18n } = this;
    const value = this.#spotlight.value;
    const title = html`<h2 part="title">${this.#mode === 'leaderboard' ? i18n.t('leaderboardTitle', this.#period) : i18n.t('spotlightTitle', this.#period)}</h2>`;
    if (!this.#spotlight.store) {
      const session = this.#session.value;
      if (session?.status === 'ready' || session?.status === 'error') return html`${title}<p class="note">${i18n.t('spotlightNoCommunity')}</p>`;
    }
    if (value?.status === 'error' && !value.data) return html`${title}${this.#renderError(i18n.t('spotlightLoadFailed'), value)}`;
    if (!value?.data) return html`${title}${this.#renderSkeleton()}`;
    const ranked = value.data.mode === 'leaderboard';
    const entries = value.data.entries;
    const list = ranked
      ? html`<ol>${entries.map((entry) => this.#renderEntry(entry, true))}</ol>`
      : html`<ul>${entries.map((entry) => this.#renderEntry(entry, false))}</ul>`;
    const refused = this.rankingRefused ? html`<p class="note">${i18n.t('rankingForbidden')}</p>` : nothing;
    return html`${title}${refused}${entries.length ? list : html`<p class="note">${i18n.t('spotlightEmpty')}</p>`} ${this.#renderOptOut()}`;
  }

  #renderSkeleton(): TemplateResult {
    return html`<div aria-hidden="true"><div class="skeleton"></div></div>
      <p class="visually-hidden" role="status">${this.i18n.t('spotlightLoading')}</p>`;
  }

  #renderError(message: string, value: Loaded<unknown>): TemplateResult {
    const key = this.view === 'feed' ? feedKey(this.#communityId) : spotlightKey(this.#communityId ?? '', this.#period, this.#mode);
    return html`<p class="error" part="error" role="alert">${message} ${value.error ? this.i18n.reason(value.error) : ''}</p>
      <button type="button" @click=${() => reload(this.connection, key)}>${this.i18n.t('retry')}</button>`;
  }

  #openDecline(id: string): void {
    this.declining = id;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#decline-${CSS.escape(id)}`)?.focus());
  }

  #closeDecline(id: string): void {
    this.declining = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`button[data-kudos="${CSS.escape(id)}"]`)?.focus());
  }

  #renderDecline(kudos: Kudos): TemplateResult {
    const submit = async (event: SubmitEvent) => {
      event.preventDefault();
      const field = (event.target as HTMLFormElement).elements.namedItem('message');
      const message = field instanceof HTMLTextAreaElement ? field.value : '';
      this.actionError = '';
      try {
        await declineKudos(this.connection, kudos.id, message, this.#communityId);
        this.declining = undefined;
        this.announcement = this.i18n.t('declined');
        void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h2')?.focus());
      } catch (error) {
        this.actionError = this.i18n.t('actionFailed', this.i18n.reason(error));
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      this.#closeDecline(kudos.id);
    };
    return html`<form @submit=${submit} @keydown=${onKeyDown}>
      <label for="decline-${kudos.id}">${this.i18n.t('declineLabel')}</label>
      <textarea id="decline-${kudos.id}" name="message" maxlength="500"></textarea>
      <button type="button" @click=${() => this.#closeDecline(kudos.id)}>${this.i18n.t('cancel')}</button>
      <button type="submit">${this.i18n.t('declineSend')}</button>
    </form>`;
  }

  #renderFeed(): TemplateResult {
    const { i18n } = this;
    const value = this.#feed.value;
    const title = html`<h2 part="title" tabindex="-1">${i18n.t('feedTitle')}</h2>`;
    if (value?.status === 'error' && !value.data) return html`${title}${this.#renderError(i18n.t('feedLoadFailed'), value)}`;
    if (!value?.data) return html`${title}${this.#renderSkeleton()}`;
    const me = signedInId(this.#session.value);
    const f = i18n.formatters;
    const labels = value.data.values;
    const items = value.data.items.map(
      (kudos) => html`<li part="entry">
        <span class="avatar" aria-hidden="true">${initials(kudos.giver.name)}</span>
        <span class="who">
          <span><strong>${i18n.t('feedEntry', kudos.giver.name, kudos.recipient.name)}</strong> ${kudos.value ? html`<span class="reason" part="reason">${i18n.t('feedValue', labels[kudos.value] ?? kudos.value)}</span>` : nothing}</span>
          ${kudos.message ? html`<p class="message">${kudos.message}</p>` : nothing}
          <time datetime=${kudos.createdAt} title=${f.dateTime(kudos.createdAt)}>${f.relative(kudos.createdAt)}</time>
          ${me && kudos.recipient.id === me
            ? this.declining === kudos.id
              ? this.#renderDecline(kudos)
              : html`<span><button type="button" data-kudos=${kudos.id} @click=${() => this.#openDecline(kudos.id)}>${i18n.t('decline')}</button></span>`
            : nothing}
        </span>
      </li>`,
    );
    return html`${title}${items.length ? html`<ul>${items}</ul>` : html`<p class="note">${i18n.t('feedEmpty')}</p>`}`;
  }

  override render(): TemplateResult {
    const loading = this.view === 'feed' ? !this.#feed.value?.data : !!this.#spotlight.store && !this.#spotlight.value?.data && this.#spotlight.value?.status !== 'error';
    return html`<section class="base" part="base" aria-busy=${loading ? 'true' : 'false'}>
      ${this.view === 'feed' ? this.#renderFeed() : this.#renderSpotlight()}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-spotlight': GuildSpotlight;
  }
}
