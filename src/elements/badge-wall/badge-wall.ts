import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { tagReady } from '../../internal/autoload.js';
import { GuildElement } from '../../internal/guild-element.js';
import { addMessages } from '../../internal/i18n.js';
import { StoreController } from '../../internal/store-controller.js';
import { themeStyles } from '../../internal/theme.js';
import {
  badgeWallStore,
  reloadBadgeWall,
  type Achievement,
  type Award,
  type BadgeState,
  type BadgeWall,
  type Catalogue,
} from '../../stores/badges.js';
import { achievementOf, awardStatus, badgeImage, badgeTags, entry, progressText, type BadgeWallFrame, type Detail, type Entry } from './badge-parts.js';
import { badgeWallStyles } from './badge-wall.styles.js';
import { badgeWallMessages, badgeWallTranslations } from './messages.js';

addMessages(badgeWallMessages, badgeWallTranslations);

/** How long a badge that arrived live keeps its highlight. */
const CELEBRATION_MS = 4_000;

/** Fired when someone opens a badge's details. */
export class GuildBadgeOpenEvent extends Event {
  static readonly eventName = 'guild-badge-open';
  constructor(
    readonly achievement: Achievement,
    /** The award, when the badge was earned (absent for in-progress, locked and catalogue badges). */
    readonly award: Award | undefined,
  ) {
    super(GuildBadgeOpenEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * A person's badges as verifiable Open Badges 3.0 credentials: earned (with the date; expired and
 * revoked ones marked), in progress (how far toward the criteria) and locked (the criteria to read).
 * Without `user`, a community's badge catalogue with how many earned each, and who earned one
 * lately. A badge opens its details in a dialog, which verifies the credential in the page and
 * offers the verification link, LinkedIn and a JSON download (the details' code loads when someone
 * first points at or focuses a badge, the verification's when an award opens). New awards
 * arrive live and are celebrated; progress follows the activity that counts toward it.
 *
 * Far off screen, the wall costs no style or layout work until it is scrolled near
 * (`content-visibility: auto` on its `base` part, lifted while a badge's dialog is open; set
 * `guild-badge-wall::part(base) { content-visibility: visible }` to opt out).
 *
 * @tag guild-badge-wall
 * @summary Earned, in-progress and locked badges, verified in the page; or a community's badge catalogue.
 *
 * @fires guild-badge-open - Someone opened a badge's details; `achievement` is the badge, `award` the award when earned.
 *
 * @csspart base - The whole wall.
 * @csspart title - The heading.
 * @csspart summary - "2 earned · 1 in progress · 3 locked".
 * @csspart filter - The category filter.
 * @csspart badge - Each badge in the grid.
 * @csspart recent - Each recent award in the catalogue view.
 * @csspart dialog - The details dialog.
 * @csspart actions - The dialog's actions (verification link, LinkedIn, download).
 * @csspart error - A failure to load, with its retry button.
 *
 * @cssprop --guild-color-accent - Highlights, progress, links (default: `#2563eb`).
 * @cssprop --guild-color-on-accent - Text on the accent colour (default: `#ffffff`).
 * @cssprop --guild-color-text - Text (default: `#1f2937`).
 * @cssprop --guild-color-muted - Secondary text (default: `#4b5563`).
 * @cssprop --guild-color-surface - Background (default: `#ffffff`).
 * @cssprop --guild-color-border - Borders (default: `#d1d5db`).
 * @cssprop --guild-color-danger - Errors, revoked badges, failed verification (default: `#b91c1c`).
 * @cssprop --guild-color-success - A verified credential (default: `#15803d`).
 * @cssprop --guild-color-warning - An expired credential (default: `#b45309`).
 * @cssprop --guild-radius - Corner radius of chips and labels (default: `999px`).
 * @cssprop --guild-font-family - Font (default: inherited).
 * @cssprop --guild-font-size - Base size (default: `15px`).
 */
export class GuildBadgeWall extends GuildElement {
  protected static override formatsDates = true;
  static override styles = [themeStyles, badgeWallStyles];

  readonly #wall = new StoreController<BadgeState<BadgeWall>>(this);

  /** Whose badges: `me` (the signed-in person) or a person's id. Without it, the community's catalogue. */
  @property({ attribute: 'user' }) user: string | undefined;

  /** The community whose badges show. Defaults to the provider's or the script tag's, else the server's default. */
  @property({ attribute: 'community' }) community: string | undefined;

  /** Shows only badges of this category at first (the filter can change it). */
  @property({ attribute: 'category' }) category: string | undefined;

  /** Hides locked badges: only earned and in-progress ones show. */
  @property({ type: Boolean, attribute: 'hide-locked' }) hideLocked = false;

  @state() private chosenCategory: string | undefined;
  @state() private opened: Entry | undefined;
  @state() private detailReady = false;
  @state() private detailFailed = false;
  @state() private catalogueReady = false;
  @state() private catalogueFailed = false;
  /** What the catalogue view last showed (it holds the store; the wall celebrates and stays current from it). */
  @state() private catalogueValue: BadgeState<Catalogue> | undefined;
  @state() private celebrating: string | undefined;
  @state() private announcement = '';

  #connectedAt = 0;
  #celebrated: string | undefined;
  #celebrationTimer: ReturnType<typeof setTimeout> | undefined;
  #intended = false;
  #catalogueAsked = false;

  get #community(): string | undefined {
    return this.community ?? this.config.community;
  }

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#connectedAt = performance.now();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#celebrationTimer);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    this.connectionChanged(changed);
    if (changed.has('category')) this.chosenCategory = this.category || undefined;
    if ((changed.has('user') || changed.has('community')) && this.opened) this.#dialog?.close();
    // Stores are memoised: asking again on every update costs a map lookup, and follows any change of
    // user, community (also from a provider or the script tag) or API.
    if (this.user) {
      this.#wall.store = badgeWallStore(this.connection, this.user, this.#community);
    } else {
      this.#wall.store = undefined;
      // The catalogue is its own chunk: a person's wall never loads it.
      if (!this.#catalogueAsked) void this.#loadCatalogue();
    }
    this.#celebrate();
  }

  /** A new award arrived live: say so, and highlight it (the highlight moves only when motion is welcome). */
  #celebrate(): void {
    const celebration = (this.user ? this.#wall.value : this.catalogueValue)?.celebration;
    if (!celebration || celebration.at < this.#connectedAt || celebration.award.id === this.#celebrated) return;
    const { award } = celebration;
    this.#celebrated = award.id;
    this.celebrating = award.id;
    this.announcement =
      this.user === 'me' ? this.i18n.t('badgeCelebrateMine', award.achievement.name) : this.i18n.t('badgeCelebrateOther', award.recipient.name, award.achievement.name);
    clearTimeout(this.#celebrationTimer);
    this.#celebrationTimer = setTimeout(() => (this.celebrating = undefined), CELEBRATION_MS);
  }

  /** Someone reaches for a badge: its details' code starts loading, once, so a click rarely waits. */
  readonly #onIntent = (): void => {
    if (this.#intended) return;
    this.#intended = true;
    void tagReady('guild-badge-detail');
  };

  async #loadDetail(): Promise<void> {
    if (this.detailReady) return;
    this.detailFailed = false;
    this.detailReady = await tagReady('guild-badge-detail');
    this.detailFailed = !this.detailReady;
    await this.#detailRendered();
    // "Try again" made way for the loading line, which took its focus: give focus back in the dialog,
    // to the details' first control as opening does, or to "Try again" when it failed once more.
    const dialog = this.#dialog;
    if (!dialog?.open || dialog.contains(this.shadowRoot?.activeElement ?? null)) return;
    (this.detailReady ? dialog.querySelector<HTMLElement>('button') : dialog.querySelector<HTMLElement>('button.retry'))?.focus();
  }

  async #detailRendered(): Promise<void> {
    await this.updateComplete;
    await this.renderRoot.querySelector('guild-badge-detail')?.updateComplete;
  }

  /** Counts the badges opened, and which of them the dialog last showed (see `#onClose`). */
  #opens = 0;
  #shownOpen = 0;

  async #open(opened: Entry): Promise<void> {
    const open = ++this.#opens;
    this.opened = opened;
    // Fetched side by side with the details, not after them.
    if (opened.detail.kind === 'award') void tagReady('guild-badge-verification');
    void this.#loadDetail();
    await this.#detailRendered();
    const dialog = this.#dialog;
    if (open !== this.#opens) return;
    this.#shownOpen = open;
    if (dialog && !dialog.open) dialog.showModal();
    const { detail } = opened;
    this.dispatchEvent(new GuildBadgeOpenEvent(achievementOf(detail), detail.kind === 'award' ? detail.award : undefined));
  }

  readonly #onClose = (): void => {
    // `close` arrives a task later: a badge opened in between keeps its details, whether the dialog
    // shows it already or will once its details are rendered.
    if (this.#dialog?.open || this.#shownOpen !== this.#opens) return;
    const key = this.opened?.key;
    this.opened = undefined;
    // The badge may have been drawn anew while the dialog was open: focus the one that is there now.
    if (key) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`button[data-key="${CSS.escape(key)}"]`)?.focus());
  };

  async #loadCatalogue(): Promise<void> {
    this.#catalogueAsked = true;
    this.catalogueFailed = false;
    this.catalogueReady = await tagReady('guild-badge-catalogue');
    this.catalogueFailed = !this.catalogueReady;
  }

  async #retryCatalogue(): Promise<void> {
    await this.#loadCatalogue();
    await this.updateComplete;
    await this.renderRoot.querySelector('guild-badge-catalogue')?.updateComplete;
    // "Try again" made way for the loading line and took focus with it: give focus back, to the
    // catalogue's first control or to "Try again" when it failed once more.
    if (this.shadowRoot?.activeElement) return;
    const next = this.catalogueReady ? 'guild-badge-catalogue button, guild-badge-catalogue input' : '[part="error"] + button';
    this.renderRoot.querySelector<HTMLElement>(next)?.focus();
  }

  /** The badges in view, as the grid lists them, before filtering. */
  #entries(): Entry[] {
    const wall = this.#wall.value?.data;
    if (this.user) {
      if (!wall) return [];
      return [
        ...wall.earned.map((award) => entry({ kind: 'award', award })),
        ...wall.inProgress.map((progress) => entry({ kind: 'progress', progress })),
        ...(this.hideLocked ? [] : wall.locked.map((achievement) => entry({ kind: 'locked', achievement }))),
      ];
    }
    const catalogue = this.catalogueValue?.data;
    return catalogue
      ? [...catalogue.achievements.map((achievement) => entry({ kind: 'catalogue', achievement })), ...catalogue.recent.map((award) => entry({ kind: 'award', award }))]
      : [];
  }

  get #labels(): Record<string, string> {
    return (this.user ? this.#wall.value : this.catalogueValue)?.valueLabels ?? {};
  }

  #renderStatus(detail: Detail, now: number): TemplateResult {
    const { i18n } = this;
    const f = i18n.formatters;
    switch (detail.kind) {
      case 'award': {
        const { award } = detail;
        const status = awardStatus(award, now);
        const earned = html`<time datetime=${award.validFrom} title=${f.dateTime(award.validFrom)}>${i18n.t('badgeEarnedAgo', award.validFrom)}</time>`;
        return status === 'earned' ? earned : html`<span class="label">${i18n.t(status === 'revoked' ? 'badgeRevoked' : 'badgeExpired')}</span> ${earned}`;
      }
      case 'progress':
        return html`<progress max=${detail.progress.target} .value=${Math.min(detail.progress.current, detail.progress.target)} aria-hidden="true"></progress>
          <span>${progressText(i18n, detail.progress, this.#labels)}</span>`;
      case 'locked':
        return html`<span class="label">${i18n.t('badgeLocked')}</span>
          <p class="criteria">${detail.achievement.criteria.narrative}</p>`;
      default:
        return html`<span>${i18n.t('badgeEarnedBy', detail.achievement.earnedCount)}</span>`;
    }
  }

  #renderCard(item: Entry, id: string, now: number): TemplateResult {
    const { detail } = item;
    const achievement = achievementOf(detail);
    const state = detail.kind === 'award' ? awardStatus(detail.award, now) : detail.kind === 'progress' ? 'in-progress' : detail.kind;
    const celebrate = detail.kind === 'award' && detail.award.id === this.celebrating;
    return html`<li class="card ${state} ${celebrate ? 'celebrate' : ''}" part="badge" data-state=${state}>
      ${badgeImage(this, achievement, this.connection.api)}
      <h4 class="name">
        <button type="button" class="open" data-key=${item.key} aria-describedby=${`${id}-status`} @click=${() => void this.#open(item)}>${achievement.name}</button>
      </h4>
      <div class="status" id=${`${id}-status`}>${this.#renderStatus(detail, now)}</div>
      ${badgeTags(achievement, this.i18n)}
    </li>`;
  }

  #renderGrid(entries: Entry[], section: string, now: number): TemplateResult {
    return html`<ul class="grid" @pointerover=${this.#onIntent} @focusin=${this.#onIntent}>${entries.map((item, index) => this.#renderCard(item, `${section}-${index}`, now))}</ul>`;
  }

  #renderFilter(entries: Entry[]): TemplateResult | typeof nothing {
    const categories = [...new Set(entries.map((item) => achievementOf(item.detail).category).filter((category): category is string => !!category))].sort(
      this.i18n.formatters.compare,
    );
    const chosen = this.chosenCategory;
    if (chosen && !categories.includes(chosen)) categories.push(chosen);
    if (categories.length < 2 && !chosen) return nothing;
    const choose = (event: Event) => {
      this.chosenCategory = (event.target as HTMLInputElement).value || undefined;
    };
    const chip = (value: string, label: string) =>
      html`<label class="chip"><input type="radio" name="category" value=${value} .checked=${(chosen ?? '') === value} @change=${choose} />${label}</label>`;
    return html`<fieldset class="filter" part="filter">
      <legend>${this.i18n.t('badgeFilterLegend')}</legend>
      ${chip('', this.i18n.t('badgeFilterAll'))} ${categories.map((category) => chip(category, category))}
    </fieldset>`;
  }

  #inCategory(item: Entry): boolean {
    return !this.chosenCategory || achievementOf(item.detail).category === this.chosenCategory;
  }

  #renderSkeleton(): TemplateResult {
    return html`<ul class="grid" aria-hidden="true">
        <li class="skeleton"></li>
        <li class="skeleton"></li>
        <li class="skeleton"></li>
      </ul>
      <p class="visually-hidden" role="status">${this.i18n.t('badgeLoading')}</p>`;
  }

  #renderFailure(message: string, retry: () => void): TemplateResult {
    return html`<p class="error" part="error" role="alert">${message}</p>
      <button type="button" @click=${retry}>${this.i18n.t('retry')}</button>`;
  }

  #renderError(error: unknown, retry: () => void): TemplateResult {
    return this.#renderFailure(`${this.i18n.t('badgeLoadFailed')} ${this.i18n.reason(error)}`, retry);
  }

  #renderWall(): TemplateResult {
    const { i18n } = this;
    const value = this.#wall.value;
    const wall = value?.data;
    const title = html`<h2 part="title">${this.user === 'me' ? i18n.t('badgeWallMine') : wall ? i18n.t('badgeWallOf', wall.person.name) : i18n.t('badgeWallUnnamed')}</h2>`;
    if (!wall && value?.status === 'error') {
      if (value.error?.status === 401 && this.user === 'me') return html`${title}<p class="note">${i18n.t('badgeSignIn')}</p>`;
      if (value.error?.status === 404) return html`${title}<p class="note">${i18n.t('badgeNotFound')}</p>`;
      return html`${title}${this.#renderError(value.error, () => reloadBadgeWall(this.connection, this.user ?? '', this.#community))}`;
    }
    if (!wall) return html`${title}${this.#renderSkeleton()}`;
    const all = this.#entries();
    const shown = all.filter((item) => this.#inCategory(item));
    const now = Date.now();
    const earned = shown.filter((item) => item.detail.kind === 'award');
    const inProgress = shown.filter((item) => item.detail.kind === 'progress');
    const locked = shown.filter((item) => item.detail.kind === 'locked');
    const section = (name: string, heading: string, entries: Entry[]) =>
      entries.length ? html`<div class="section"><h3>${heading}</h3>${this.#renderGrid(entries, name, now)}</div>` : nothing;
    return html`${title}
      <p class="summary" part="summary">${i18n.t('badgeSummary', earned.length, inProgress.length, this.hideLocked ? undefined : locked.length)}</p>
      ${this.#renderFilter(all)}
      ${shown.length
        ? html`${section('earned', i18n.t('badgeSectionEarned'), earned)} ${section('progress', i18n.t('badgeSectionInProgress'), inProgress)}
          ${section('locked', i18n.t('badgeSectionLocked'), locked)}`
        : html`<p class="note">${i18n.t(this.chosenCategory && all.length ? 'badgeEmptyCategory' : 'badgeEmpty')}</p>`}`;
  }

  #frame(): BadgeWallFrame {
    return {
      i18n: this.i18n,
      connection: this.connection,
      community: this.#community,
      celebrating: this.celebrating,
      intent: this.#onIntent,
      grid: (entries, section, now) => this.#renderGrid(entries, section, now),
      filter: (entries) => this.#renderFilter(entries),
      inCategory: (item) => this.#inCategory(item),
      loading: () => this.#renderSkeleton(),
      failed: (error, retry) => this.#renderError(error, retry),
      open: (item) => void this.#open(item),
      changed: (value) => (this.catalogueValue = value),
    };
  }

  #renderCatalogue(): TemplateResult {
    const title = html`<h2 part="title">${this.i18n.t('badgeCatalogueTitle')}</h2>`;
    if (this.catalogueReady) return html`${title}<guild-badge-catalogue .frame=${this.#frame()}></guild-badge-catalogue>`;
    // Its code could not be fetched: no request to the server failed, so none is blamed.
    if (this.catalogueFailed) return html`${title}${this.#renderFailure(this.i18n.t('badgeCatalogueUnavailable'), () => void this.#retryCatalogue())}`;
    return html`${title}${this.#renderSkeleton()}`;
  }

  /** The opened badge as it stands now (a live award may have changed it since it opened). */
  #current(opened: Entry): Detail {
    return this.#entries().find((item) => item.key === opened.key)?.detail ?? opened.detail;
  }

  #renderDetail(opened: Entry): TemplateResult {
    const { i18n } = this;
    if (this.detailReady) {
      return html`<guild-badge-detail
        .detail=${this.#current(opened)}
        .i18n=${i18n}
        .connection=${this.connection}
        .labels=${this.#labels}
        ?mine=${this.user === 'me'}
      ></guild-badge-detail>`;
    }
    // Never an empty trap while the details' code loads: the badge's name, what is happening, a way out.
    return html`<h2 id="detail-title">${achievementOf(opened.detail).name}</h2>
      ${this.detailFailed
        ? html`<p class="error" role="alert">${i18n.t('badgeDetailUnavailable')}</p>
            <button type="button" class="retry" @click=${() => void this.#loadDetail()}>${i18n.t('retry')}</button>`
        : html`<p class="note" role="status">${i18n.t('badgeDetailLoading')}</p>`}
      <button type="button" class="close" @click=${() => this.#dialog?.close()}>${i18n.t('badgeClose')}</button>`;
  }

  override render(): TemplateResult {
    const value = this.user ? this.#wall.value : this.catalogueValue;
    const loading = !value?.data && value?.status !== 'error' && (!!this.user || !this.catalogueFailed);
    return html`<section class=${this.opened ? 'base showing' : 'base'} part="base" aria-busy=${loading ? 'true' : 'false'}>
      ${this.user ? this.#renderWall() : this.#renderCatalogue()}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      <dialog part="dialog" aria-labelledby="detail-title" closedby="any" @close=${this.#onClose}>${this.opened ? this.#renderDetail(this.opened) : nothing}</dialog>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-badge-wall': GuildBadgeWall;
  }
  interface HTMLElementEventMap {
    'guild-badge-open': GuildBadgeOpenEvent;
  }
}
