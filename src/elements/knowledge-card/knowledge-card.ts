import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { tagReady } from '../../internal/autoload.js';
import { GuildElement } from '../../internal/guild-element.js';
import { addMessages } from '../../internal/i18n.js';
import { renderMarkdown } from '../../internal/markdown.js';
import { safeUrl } from '../../internal/safe-url.js';
import { StoreController } from '../../internal/store-controller.js';
import { themeStyles } from '../../internal/theme.js';
import { cardListStore, cardStore, publishCard, recordCardView, reloadCard, reloadCardList, voteCard, type Card, type CardListState, type CardQuery, type CardState } from '../../stores/cards.js';
import { draftStored } from '../../stores/batch.js';
import { isFacilitator, isSignedOut, sessionStore, signedInId, type Session } from '../../stores/session.js';
import type { GuildCardEditorFailedEvent, GuildCardEditorSavedEvent } from './card-editor.js';
import type { CardPanelKind, GuildCardPanelDoneEvent } from './card-panel.js';
import { cardControlStyles, knowledgeCardStyles } from './knowledge-card.styles.js';
import { knowledgeCardMessages, knowledgeCardTranslations } from './messages.js';

addMessages(knowledgeCardMessages, knowledgeCardTranslations);

/** How many related cards show under a card. */
const RELATED_LIMIT = 5;

/** Fired after the server confirmed a card the reader saved. */
export class GuildCardSavedEvent extends Event {
  static readonly eventName = 'guild-card-saved';
  constructor(
    readonly card: Card,
    /** `created` (a new card, draft or published), `published` (a draft made public) or `edited`. */
    readonly action: 'created' | 'published' | 'edited',
  ) {
    super(GuildCardSavedEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Fired when someone opens a compact card (or a card of a list). Cancel it (`preventDefault()`) to
 * show the card in the page instead of following its link to the card's public page.
 */
export class GuildCardOpenEvent extends Event {
  static readonly eventName = 'guild-card-open';
  constructor(readonly card: Card) {
    super(GuildCardOpenEvent.eventName, { bubbles: true, composed: true, cancelable: true });
  }
}

type Form = 'verify' | 'flag';

/**
 * A piece of the community's knowledge that stays true: a card with its trust state always in view
 * (verified by whom and until when, needs review, outdated with the reason, unverified), helpful
 * votes, views, experts, related cards and a readable version history. Experts and facilitators
 * verify it, anyone signed in flags it as outdated, its author, experts and facilitators edit it
 * in place; a save on top of a version the writer did not see is refused and the text kept.
 * `view="compact"` is a link-preview-sized card; `new` is an editor for a new card; `tag` lists
 * the cards with a tag. Changes arrive live, and the author and experts are told of flags and edits.
 *
 * What only some readers need is code of its own: the editor (`<guild-card-editor>`) and the parts a
 * reader opens, the verify and flag forms, the link to copy by hand and the version history
 * (`<guild-card-panel>`). The script-tag bundle fetches each the first time it is needed (the panel
 * as soon as someone points at or focuses a full card); meanwhile a "Loading…" line stands in its
 * place, and a failed load says so, with Try again. `guildkit/define/knowledge-card.js` registers
 * all three tags up front. The two are internal: only the card renders them, and their events stay
 * inside it.
 *
 * Far off screen, a card costs no style or layout work until it is scrolled near
 * (`content-visibility: auto` on the element; set `content-visibility: visible` on it to opt out).
 *
 * @tag guild-knowledge-card
 * @summary A knowledge card with experts, verification and freshness; an editor for new cards; a tag listing.
 *
 * @fires {GuildCardSavedEvent} guild-card-saved - The server confirmed a card the reader saved; `card` is it, `action` is `created`, `published` or `edited`.
 * @fires {GuildCardOpenEvent} guild-card-open - Someone opened a compact card or a card of a list; cancel it to stay on the page (`card` is it).
 *
 * @csspart base - The whole card (or list, or editor).
 * @csspart trust - The trust state line.
 * @csspart title - The card's title.
 * @csspart summary - The card's summary.
 * @csspart body - The card's text.
 * @csspart tags - The card's tags.
 * @csspart helpful - The "Was this helpful?" votes and the view count.
 * @csspart actions - Edit, verify, flag and copy-link buttons.
 * @csspart history - The version history.
 * @csspart related - The related cards.
 * @csspart notice - A flag or edit by someone else, shown to the card's author and experts.
 * @csspart editor - The editor.
 * @csspart error - A failure to load, with its retry button.
 *
 * @cssprop --guild-color-accent - Buttons, links, a verified card (default: `#2563eb`).
 * @cssprop --guild-color-on-accent - Text on the accent colour (default: `#ffffff`).
 * @cssprop --guild-color-text - Text (default: `#1f2937`).
 * @cssprop --guild-color-muted - Secondary text (default: `#4b5563`).
 * @cssprop --guild-color-surface - Background (default: `#ffffff`).
 * @cssprop --guild-color-border - Borders (default: `#d1d5db`).
 * @cssprop --guild-color-danger - Errors, an outdated card (default: `#b91c1c`).
 * @cssprop --guild-color-success - A verified card (default: `#15803d`).
 * @cssprop --guild-color-warning - A card that needs review (default: `#b45309`).
 * @cssprop --guild-radius - Corner radius of chips and labels (default: `999px`).
 * @cssprop --guild-font-family - Font (default: inherited).
 * @cssprop --guild-font-size - Base size (default: `15px`).
 */
export class GuildKnowledgeCard extends GuildElement {
  protected static override formatsDates = true;
  static override styles = [themeStyles, cardControlStyles, knowledgeCardStyles];

  readonly #card = new StoreController<CardState>(this);
  readonly #session = new StoreController<Session>(this);
  readonly #related = new StoreController<CardListState>(this);
  readonly #list = new StoreController<CardListState>(this);

  /** The card's id. */
  @property({ attribute: 'card' }) card: string | undefined;

  /** `full` (default): everything; `compact`: title, summary, trust and votes, linking to the card's page. */
  @property({ attribute: 'view' }) view: 'full' | 'compact' | undefined;

  /** An editor for a new card (signed-in members); publishing shows the card. */
  @property({ type: Boolean, attribute: 'new' }) creating = false;

  /** Opens the card in the editor, for those who may edit it (e.g. a draft just made from an answer). */
  @property({ type: Boolean, attribute: 'edit' }) edit = false;

  /** The community a new card belongs to, and that a listing shows. Defaults to the provider's or the script tag's. */
  @property({ attribute: 'community' }) community: string | undefined;

  /** Without `card`: lists the published cards with this tag, compact. */
  @property({ attribute: 'tag' }) tag: string | undefined;

  /** Without `card`: `draft` lists the drafts the signed-in person may see. */
  @property({ attribute: 'status' }) status: 'published' | 'draft' | undefined;

  @state() private createdId: string | undefined;
  @state() private editing = false;
  @state() private editorReady = false;
  @state() private editorFailed = false;
  @state() private panel: Form | undefined;
  @state() private panelReady = false;
  @state() private panelFailed = false;
  @state() private voteError = '';
  @state() private actionMessage = '';
  @state() private copyFallback = false;
  @state() private historyOpen = false;
  /** The history was opened once: it stays rendered (hidden when closed), so it is read once. */
  @state() private historyShown = false;
  @state() private notice = '';
  @state() private announcement = '';

  #connectedAt = 0;
  #noticed: string | undefined;
  #draftChecked: string | undefined;
  /** How often the reader opened or closed the editor. */
  #editsByHand = 0;
  #reached = false;

  get #id(): string | undefined {
    return this.createdId ?? this.card;
  }

  get #community(): string | undefined {
    return this.community ?? this.config.community;
  }

  get #me(): string | undefined {
    return signedInId(this.#session.value);
  }

  get #listQuery(): CardQuery | undefined {
    if (this.#id || this.creating) return undefined;
    if (this.status === 'draft') return { status: 'draft', ...(this.#community ? { community: this.#community } : {}) };
    if (this.tag) return { tag: this.tag, ...(this.#community ? { community: this.#community } : {}) };
    return undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#connectedAt = performance.now();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    this.connectionChanged(changed);
    if (changed.has('card') && changed.get('card') !== undefined) this.#reset();
    if (changed.has('edit') && this.edit) this.editing = true;
    this.#session.store = sessionStore(this.connection);
    const id = this.#id;
    this.#card.store = id ? cardStore(this.connection, id) : undefined;
    const query = this.#listQuery;
    // Drafts are only for someone signed in: an anonymous visitor is not asked the server's 401.
    this.#list.store = query && (query.status !== 'draft' || this.#me) ? cardListStore(this.connection, query) : undefined;
    const card = this.#card.value?.data;
    const full = this.view !== 'compact';
    this.#related.store = id && full && card?.status === 'published' && card.tags.length ? cardListStore(this.connection, { related: id, limit: RELATED_LIMIT }) : undefined;
    if (card && full && card.status === 'published' && this.#me) void recordCardView(this.connection, card.id);
    if (card && this.#me && id && this.#draftChecked !== id) {
      // Text written here before a reload comes back in the editor.
      this.#draftChecked = id;
      // Only if nothing changed meanwhile: the same card, still editable, and the editor neither opened
      // nor closed by hand while the storage was read.
      const edits = this.#editsByHand;
      if (this.#canEdit(card))
        void draftStored(`card:${id}`).then((stored) => {
          const now = this.#card.value?.data;
          if (stored && this.#id === id && now && this.#canEdit(now) && !this.editing && edits === this.#editsByHand) this.editing = true;
        });
    }
    if (this.editing && card && !this.#canEdit(card) && this.#session.value?.status === 'ready') this.editing = false;
    if ((this.editing || (this.creating && !id && this.#me)) && !this.editorReady && !this.editorFailed) void this.#loadEditor();
    this.#notice(card);
  }

  #reset(): void {
    this.createdId = undefined;
    this.editing = this.edit;
    this.panel = undefined;
    this.voteError = '';
    this.actionMessage = '';
    this.copyFallback = false;
    this.historyOpen = false;
    this.historyShown = false;
    this.notice = '';
  }

  /** Tells the card's author and experts that someone else flagged or edited it while it was shown. */
  #notice(card: Card | undefined): void {
    const change = this.#card.value?.change;
    const me = this.#me;
    if (!card || !change || !me || change.id === this.#noticed || change.at < this.#connectedAt) return;
    this.#noticed = change.id;
    if (change.actorId === me || (change.action !== 'flagged' && change.action !== 'edited')) return;
    if (card.author.id !== me && !card.experts.some((expert) => expert.id === me)) return;
    const { i18n } = this;
    if (change.action === 'flagged') {
      const name = card.trust.flaggedBy?.id === change.actorId ? card.trust.flaggedBy.name : i18n.t('cardSomeone');
      this.notice = i18n.t('cardNoticeFlagged', name, card.trust.flagReason ?? '');
    } else {
      const name = card.lastEditor?.id === change.actorId ? card.lastEditor.name : i18n.t('cardSomeone');
      this.notice = i18n.t('cardNoticeEdited', name, card.version);
    }
    this.announcement = this.notice;
  }

  async #loadEditor(): Promise<boolean> {
    this.editorFailed = false;
    this.editorReady = await tagReady('guild-card-editor');
    this.editorFailed = !this.editorReady;
    return this.editorReady;
  }

  async #loadPanel(): Promise<boolean> {
    if (!this.panelReady) {
      this.panelFailed = false;
      this.panelReady = await tagReady('guild-card-panel');
      this.panelFailed = !this.panelReady;
    }
    return this.panelReady;
  }

  /**
   * "Try again" gives way to the loading line: focus follows it there, then goes to what loaded, or
   * back to "Try again" when the load failed once more (never to the page's body).
   */
  #retry(part: string, load: () => Promise<boolean>, loaded: string): void {
    const ready = load();
    this.#focus(`p[data-load="${part}"]`);
    void ready.then((ok) => this.#focus(ok ? loaded : `[data-load="${part}"] button`));
  }

  /** The first time someone reaches for a full card (pointer or focus), its panels start loading: a click then finds them ready. */
  readonly #onReach = (): void => {
    if (this.#reached || this.view === 'compact' || !this.#card.value?.data) return;
    this.#reached = true;
    void this.#loadPanel();
  };

  #canEdit(card: Card): boolean {
    const me = this.#me;
    if (!me) return false;
    return card.author.id === me || card.experts.some((expert) => expert.id === me) || isFacilitator(this.#session.value, card.communityId);
  }

  #canVerify(card: Card): boolean {
    const me = this.#me;
    if (!me || card.status !== 'published') return false;
    return card.experts.some((expert) => expert.id === me) || isFacilitator(this.#session.value, card.communityId);
  }

  #focus(selector: string): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }

  #startEditing(): void {
    this.#editsByHand += 1;
    this.editing = true;
    this.panel = undefined;
    void this.#loadEditor().then(() => this.#focusEditor());
  }

  #focusEditor(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('guild-card-editor')?.focus());
  }

  readonly #stopEditing = (): void => {
    this.#editsByHand += 1;
    this.editing = false;
    this.#focus('[data-action="edit"]');
  };

  readonly #onSaved = (event: GuildCardEditorSavedEvent): void => {
    const { card, action } = event;
    if (action === 'created') this.createdId = card.id;
    this.editing = false;
    this.announcement = event.message;
    this.dispatchEvent(new GuildCardSavedEvent(card, action));
    this.#focus('h2.title');
  };

  #openPanel(panel: Form): void {
    this.panel = panel;
    this.actionMessage = '';
    void this.#loadPanel().then(() => this.#focus(`guild-card-panel.${panel}`));
  }

  readonly #closePanel = (): void => {
    const panel = this.panel;
    this.panel = undefined;
    if (panel) this.#focus(`[data-action="${panel}"]`);
  };

  readonly #onPanelDone = (event: GuildCardPanelDoneEvent): void => {
    this.actionMessage = event.message;
    this.announcement = event.message;
    this.#closePanel();
  };

  async #vote(helpful: boolean): Promise<void> {
    const id = this.#id;
    if (!id) return;
    this.voteError = '';
    try {
      await voteCard(this.connection, id, helpful);
    } catch (error) {
      this.voteError = this.i18n.t('cardVoteFailed', this.i18n.reason(error));
      this.announcement = this.voteError;
    }
  }

  async #copyLink(url: string): Promise<void> {
    this.actionMessage = '';
    this.copyFallback = false;
    try {
      // An insecure page or an embedded browser has no clipboard at all: offer the field, as on a refusal.
      if (!('clipboard' in navigator)) throw new Error('No clipboard');
      // Here, within the click: browsers let a page write to the clipboard only while the gesture lasts.
      await navigator.clipboard.writeText(url);
      this.actionMessage = this.i18n.t('cardLinkCopied');
    } catch {
      // No clipboard (an insecure page, a denied permission): offer the link selected, to copy by hand.
      this.copyFallback = true;
      await this.#loadPanel();
      this.#focus('guild-card-panel.copy');
    }
  }

  readonly #toggleHistory = (): void => {
    this.historyOpen = !this.historyOpen;
    this.historyShown = true;
    void this.#loadPanel();
  };

  #open(event: MouseEvent, card: Card): void {
    const open = new GuildCardOpenEvent(card);
    this.dispatchEvent(open);
    if (open.defaultPrevented) event.preventDefault();
  }

  #link(card: Card): string | undefined {
    return safeUrl(card.url, this.connection.api);
  }

  /** The trust state in words: the state first (a related card's chip shows only that), then its dates. */
  #trustParts(card: Card): string[] {
    const { i18n } = this;
    const { trust } = card;
    const someone = i18n.t('cardSomeone');
    const parts: string[] = [];
    switch (trust.state) {
      case 'verified':
        parts.push(i18n.t('trustVerified', trust.verifiedBy?.name ?? someone, trust.verifiedAt ?? card.updatedAt));
        if (trust.reviewBy) parts.push(i18n.t('trustReviewBy', trust.reviewBy));
        break;
      case 'needs-review':
        parts.push(i18n.t('trustNeedsReview'));
        if (trust.reviewBy) parts.push(i18n.t('trustReviewWasDue', trust.reviewBy));
        if (trust.verifiedAt) parts.push(i18n.t('trustLastVerified', trust.verifiedBy?.name ?? someone, trust.verifiedAt));
        break;
      case 'outdated':
        parts.push(i18n.t('trustOutdated', trust.flagReason ?? ''));
        if (trust.flaggedAt) parts.push(i18n.t('trustFlaggedBy', trust.flaggedBy?.name ?? someone, trust.flaggedAt));
        break;
      default:
        parts.push(i18n.t('trustUnverified'));
    }
    return parts;
  }

  #renderTrust(card: Card): TemplateResult {
    const { trust } = card;
    const [first, ...rest] = this.#trustParts(card);
    return html`<p class="trust ${trust.state}" part="trust" data-state=${trust.state}>
      <span class="mark" aria-hidden="true">${trust.state === 'verified' ? '✓' : trust.state === 'unverified' ? '○' : '!'}</span>
      <strong>${first}</strong>${rest.map((part) => html` · <span>${part}</span>`)}
    </p>`;
  }

  #renderSkeleton(label: string): TemplateResult {
    return html`<div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
      <p class="visually-hidden" role="status">${label}</p>`;
  }

  /** A lazily loaded part not there yet: a line saying it loads, or that it could not, with a way to try again. */
  #renderLoading(part: string, failed: boolean, loading: string, failure: string, load: () => Promise<boolean>, loaded: string): TemplateResult {
    return failed
      ? html`<div part="error" data-load=${part}>
          <p class="error" role="alert">${failure}</p>
          <button type="button" @click=${() => this.#retry(part, load, loaded)}>${this.i18n.t('retry')}</button>
        </div>`
      : html`<p class="note" role="status" tabindex="-1" data-load=${part}>${loading}</p>`;
  }

  #renderLoadError(state: { error: unknown }, retry: () => void): TemplateResult {
    return html`<div part="error">
      <p class="error" role="alert">${this.i18n.t('cardLoadFailed')} ${this.i18n.reason(state.error)}</p>
      <button type="button" class="retry" @click=${retry}>${this.i18n.t('retry')}</button>
    </div>`;
  }

  #renderCompactCard(card: Card, heading: 'h2' | 'h3'): TemplateResult {
    const { i18n } = this;
    const url = this.#link(card);
    const title = url ? html`<a href=${url} @click=${(event: MouseEvent) => this.#open(event, card)}>${card.title}</a>` : card.title;
    const votes = card.helpful.yes;
    return html`${heading === 'h2' ? html`<h2 class="title" part="title">${title}</h2>` : html`<h3 class="title" part="title">${title}</h3>`}
      ${card.summary ? html`<p class="summary" part="summary">${card.summary}</p>` : nothing} ${this.#renderTrust(card)}
      <p class="meta">
        ${card.status === 'draft' ? html`<span class="badge">${i18n.t('cardDraft')}</span> ` : nothing}<span>${i18n.t('cardHelpfulCount', votes)}</span> ·
        <span>${i18n.t('cardViews', card.views)}</span>
      </p>`;
  }

  #renderPeople(card: Card): TemplateResult {
    const { i18n } = this;
    const parts: TemplateResult[] = [html`<span>${i18n.t('cardBy', card.author.name)}</span>`];
    if (card.credited) parts.push(html`<span class="credited">${i18n.t('cardCredited', card.credited.name)}</span>`);
    if (card.experts.length) parts.push(html`<span class="experts">${i18n.t('cardExperts', card.experts.map((expert) => expert.name))}</span>`);
    return html`<p class="people">${parts.map((part, index) => html`${index ? ' · ' : ''}${part}`)}</p>`;
  }

  #renderHistory(card: Card): TemplateResult {
    const { i18n } = this;
    const editor = card.lastEditor ?? card.author;
    return html`<div class="history" part="history">
      <button type="button" class="link" data-action="history" aria-expanded=${this.historyOpen ? 'true' : 'false'} aria-controls="versions" @click=${this.#toggleHistory}>
        ${i18n.t('cardEditedBy', editor.name, card.version)}
      </button>
      <section id="versions" aria-label=${i18n.t('cardHistory')} ?hidden=${!this.historyOpen}>${this.historyShown ? this.#renderPanel(card, 'history') : nothing}</section>
    </div>`;
  }

  /** One of the card's lazily loaded parts, a line saying it loads, or why it could not be loaded, with a way to try again. */
  #renderPanel(card: Card, kind: CardPanelKind, url = ''): TemplateResult {
    const { i18n } = this;
    if (!this.panelReady)
      return this.#renderLoading(
        kind,
        this.panelFailed,
        i18n.t(kind === 'history' ? 'cardHistoryLoading' : 'cardPanelLoading'),
        i18n.t('cardPanelFailed'),
        () => this.#loadPanel(),
        kind === 'history' ? '[data-action="history"]' : `guild-card-panel.${kind}`,
      );
    return html`<guild-card-panel
      class=${kind}
      .i18n=${i18n}
      .connection=${this.connection}
      .publishCard=${this.#publish}
      .card=${card}
      .kind=${kind}
      .url=${url}
      .open=${this.historyOpen}
      .markdown=${this.#markdown}
      @guild-card-panel-done=${this.#onPanelDone}
      @guild-card-panel-close=${this.#closePanel}
    ></guild-card-panel>`;
  }

  #renderHelpful(card: Card): TemplateResult {
    const { i18n } = this;
    const { yes, no, myVote } = card.helpful;
    const canVote = !!this.#me && card.status === 'published';
    return html`<div class="helpful" part="helpful">
      ${canVote
        ? html`<div class="votes" role="group" aria-labelledby="helpful-label">
            <span id="helpful-label">${i18n.t('cardHelpful')}</span>
            <button type="button" data-action="vote-yes" aria-pressed=${myVote === true ? 'true' : 'false'} @click=${() => void this.#vote(true)}>
              <span aria-hidden="true">👍</span> ${i18n.t('cardHelpfulYes')} <span class="n">${i18n.formatters.number(yes)}</span>
            </button>
            <button type="button" data-action="vote-no" aria-pressed=${myVote === false ? 'true' : 'false'} @click=${() => void this.#vote(false)}>
              <span aria-hidden="true">👎</span> ${i18n.t('cardHelpfulNo')} <span class="n">${i18n.formatters.number(no)}</span>
            </button>
          </div>`
        : html`<span>${i18n.t('cardHelpfulCount', yes)}</span>`}
      <span class="views">${i18n.t('cardViews', card.views)}</span>
      ${this.voteError ? html`<p class="error" role="alert">${this.voteError}</p>` : nothing}
    </div>`;
  }

  #renderActions(card: Card): TemplateResult {
    const { i18n } = this;
    const url = card.status === 'published' ? this.#link(card) : undefined;
    const buttons: TemplateResult[] = [];
    if (this.#canEdit(card)) buttons.push(html`<button type="button" data-action="edit" @click=${() => this.#startEditing()}>${i18n.t('cardEdit')}</button>`);
    if (this.#canVerify(card))
      buttons.push(html`<button type="button" data-action="verify" aria-expanded=${this.panel === 'verify' ? 'true' : 'false'} @click=${() => (this.panel === 'verify' ? this.#closePanel() : this.#openPanel('verify'))}>${i18n.t('cardVerify')}</button>`);
    if (this.#me && card.status === 'published')
      buttons.push(html`<button type="button" data-action="flag" aria-expanded=${this.panel === 'flag' ? 'true' : 'false'} @click=${() => (this.panel === 'flag' ? this.#closePanel() : this.#openPanel('flag'))}>${i18n.t('cardFlag')}</button>`);
    if (url) buttons.push(html`<button type="button" data-action="copy" @click=${() => void this.#copyLink(url)}>${i18n.t('cardCopyLink')}</button>`);
    return html`${buttons.length ? html`<div class="actions" part="actions" role="group" aria-label=${i18n.t('cardActions')}>${buttons}</div>` : nothing}
      ${this.panel ? this.#renderPanel(card, this.panel) : nothing} ${this.copyFallback && url ? this.#renderPanel(card, 'copy', url) : nothing}
      <p class="note action-status" role="status">${this.actionMessage}</p>
      ${isSignedOut(this.#session.value) ? html`<p class="note signin">${i18n.t('cardSignIn')}</p>` : nothing}`;
  }

  #renderRelated(): TemplateResult | typeof nothing {
    const items = this.#related.value?.items ?? [];
    if (!items.length) return nothing;
    return html`<nav class="related" part="related" aria-labelledby="related-heading">
      <h3 id="related-heading">${this.i18n.t('cardRelated')}</h3>
      <ul>
        ${items.map((item) => {
          const url = this.#link(item);
          return html`<li>
            ${url ? html`<a href=${url} @click=${(event: MouseEvent) => this.#open(event, item)}>${item.title}</a>` : item.title}
            <span class="trust-chip ${item.trust.state}">${this.#trustParts(item)[0]}</span>
          </li>`;
        })}
      </ul>
    </nav>`;
  }

  #renderEditor(card: Card | undefined): TemplateResult {
    const { i18n } = this;
    if (!this.editorReady) return this.#renderLoading('editor', this.editorFailed, i18n.t('cardEditorLoading'), i18n.t('cardEditorFailed'), () => this.#loadEditor(), 'guild-card-editor');
    return html`<guild-card-editor
      part="editor"
      .i18n=${i18n}
      .markdown=${this.#markdown}
      .connection=${this.connection}
      .publishCard=${this.#publish}
      .card=${card}
      .community=${this.#community}
      @guild-card-editor-saved=${this.#onSaved}
      @guild-card-editor-failed=${(event: GuildCardEditorFailedEvent) => (this.announcement = event.message)}
      @guild-card-editor-cancel=${this.#stopEditing}
    ></guild-card-editor>`;
  }

  readonly #markdown = (source: string) => renderMarkdown(source, this.connection.api);
  readonly #publish = (card: Card) => publishCard(this.connection, card);

  #renderFull(card: Card): TemplateResult {
    const { i18n } = this;
    const editing = this.editing && this.#canEdit(card);
    return html`${this.notice
        ? html`<div class="notice" part="notice">
            <span>${this.notice}</span>
            <button type="button" class="link" @click=${() => (this.notice = '')}>${i18n.t('cardDismiss')}</button>
          </div>`
        : nothing}
      ${this.#renderTrust(card)}
      ${editing
        ? this.#renderEditor(card)
        : html`<h2 class="title" part="title" tabindex="-1">${card.status === 'draft' ? html`<span class="badge">${i18n.t('cardDraft')}</span> ` : nothing}${card.title}</h2>
            ${card.summary ? html`<p class="summary" part="summary">${card.summary}</p>` : nothing}
            <div class="body" part="body">${renderMarkdown(card.body, this.connection.api)}</div>
            ${card.tags.length ? html`<ul class="tags" part="tags" aria-label=${i18n.t('cardTags')}>${card.tags.map((tag) => html`<li>${tag}</li>`)}</ul>` : nothing}
            ${this.#renderPeople(card)} ${this.#renderHistory(card)} ${this.#renderHelpful(card)} ${this.#renderActions(card)} ${this.#renderRelated()}`}`;
  }

  #renderCard(): TemplateResult {
    const value = this.#card.value;
    const card = value?.data;
    if (!card && value?.status === 'error') {
      const status = value.error?.status;
      if (status === 404 || status === 403) return html`<p class="note" part="error">${this.i18n.t('cardNotFound')}</p>`;
      return this.#renderLoadError(value, () => {
        const id = this.#id;
        if (id) reloadCard(this.connection, id);
      });
    }
    if (!card) return this.#renderSkeleton(this.i18n.t('cardLoading'));
    return this.view === 'compact' ? this.#renderCompactCard(card, 'h2') : this.#renderFull(card);
  }

  #renderNew(): TemplateResult {
    const session = this.#session.value;
    if (isSignedOut(session)) return html`<p class="note signin">${this.i18n.t('cardNewSignIn')}</p>`;
    if (!this.#me) return this.#renderSkeleton(this.i18n.t('cardEditorLoading'));
    return this.#renderEditor(undefined);
  }

  #renderList(query: CardQuery): TemplateResult {
    const { i18n } = this;
    const heading = html`<h2 part="title">${query.status === 'draft' ? i18n.t('cardDraftsTitle') : i18n.t('cardTagTitle', query.tag ?? '')}</h2>`;
    if (query.status === 'draft' && isSignedOut(this.#session.value)) return html`${heading}<p class="note signin">${i18n.t('cardSignIn')}</p>`;
    const value = this.#list.value;
    if (value?.status === 'error' && !value.items.length) return html`${heading}${this.#renderLoadError(value, () => reloadCardList(this.connection, query))}`;
    if (!value || value.status !== 'ready') return html`${heading}${this.#renderSkeleton(i18n.t('cardListLoading'))}`;
    if (!value.items.length) return html`${heading}<p class="note">${i18n.t('cardListEmpty')}</p>`;
    return html`${heading}
      <ul class="list">
        ${value.items.map((card) => html`<li class="compact">${this.#renderCompactCard(card, 'h3')}</li>`)}
      </ul>`;
  }

  override render(): TemplateResult {
    const query = this.#listQuery;
    let content: TemplateResult;
    let busy = false;
    let label: string | undefined;
    if (this.#id) {
      content = this.#renderCard();
      const value = this.#card.value;
      busy = !value?.data && value?.status !== 'error';
      label = value?.data ? this.i18n.t('cardLabel', value.data.title) : undefined;
    } else if (this.creating) content = this.#renderNew();
    else if (query) {
      content = this.#renderList(query);
      busy = this.#list.value?.status === 'loading';
    } else content = html``;
    const classes = ['base', this.#id && this.view === 'compact' ? 'compact' : 'full', this.#card.value?.data?.trust.state ?? ''].filter(Boolean).join(' ');
    return html`<article class=${classes} part="base" aria-label=${label ?? nothing} aria-busy=${busy ? 'true' : 'false'} @pointerover=${this.#onReach} @focusin=${this.#onReach}>
      ${content}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-knowledge-card': GuildKnowledgeCard;
  }
  interface HTMLElementEventMap {
    'guild-card-saved': GuildCardSavedEvent;
    'guild-card-open': GuildCardOpenEvent;
  }
}
