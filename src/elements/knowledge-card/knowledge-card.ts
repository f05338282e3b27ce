import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { errorFromException } from '../../api/errors.js';
import { loadTag } from '../../internal/autoload.js';
import { GuildElement } from '../../internal/guild-element.js';
import { addMessages } from '../../internal/i18n.js';
import { renderMarkdown } from '../../internal/markdown.js';
import { safeUrl } from '../../internal/safe-url.js';
import { StoreController } from '../../internal/store-controller.js';
import { themeStyles } from '../../internal/theme.js';
import {
  cardListStore,
  cardStore,
  cardVersions,
  createCard,
  flagCard,
  latestCard,
  recordCardView,
  reloadCard,
  reloadCardList,
  updateCard,
  verifyCard,
  voteCard,
  type Card,
  type CardListState,
  type CardQuery,
  type CardState,
  type CardUpdate,
  type CardVersion,
} from '../../stores/cards.js';
import { isFacilitator, isSignedOut, sessionStore, signedInId, type Session } from '../../stores/session.js';
import type { CardConflict, CardFields, GuildCardEditorSaveEvent } from './card-editor.js';
import { cardEditorMessages } from './editor-messages.js';
import { knowledgeCardStyles } from './knowledge-card.styles.js';
import { knowledgeCardMessages, knowledgeCardTranslations } from './messages.js';

// The editor's strings too: it is rendered only here, and its chunk then carries code alone.
addMessages({ ...knowledgeCardMessages, ...cardEditorMessages }, knowledgeCardTranslations);

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

/**
 * The editor is code only writers need: the script-tag bundle fetches it the first time someone
 * writes or edits; `guildkit/define/knowledge-card.js` registers it up front.
 */
function loadEditor(): Promise<void> {
  return loadTag('guild-card-editor');
}

function fieldsOf(card: Pick<Card, 'title' | 'summary' | 'body' | 'tags'>): CardFields {
  return { title: card.title, summary: card.summary, body: card.body, tags: [...card.tags] };
}

function hasLocalDraft(id: string): boolean {
  try {
    return !!localStorage.getItem(`guildkit:draft:${id}`);
  } catch {
    return false;
  }
}

type Panel = 'verify' | 'flag';

interface History {
  status: 'loading' | 'ready' | 'error';
  items: CardVersion[];
  error: string;
}

/**
 * A piece of the community's knowledge that stays true: a card with its trust state always in view
 * (verified by whom and until when, needs review, outdated with the reason, unverified), helpful
 * votes, views, experts, related cards and a readable version history. Experts and facilitators
 * verify it, anyone signed in flags it as outdated, its author, experts and facilitators edit it
 * in place; a save on top of a version the writer did not see is refused and the text kept.
 * `view="compact"` is a link-preview-sized card; `new` is an editor for a new card; `tag` lists
 * the cards with a tag. Changes arrive live, and the author and experts are told of flags and edits.
 *
 * @tag guild-knowledge-card
 * @summary A knowledge card with experts, verification and freshness; an editor for new cards; a tag listing.
 *
 * @fires guild-card-saved - The server confirmed a card the reader saved; `card` is it, `action` is `created`, `published` or `edited`.
 * @fires guild-card-open - Someone opened a compact card or a card of a list; cancel it to stay on the page (`card` is it).
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
  static override styles = [themeStyles, knowledgeCardStyles];

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
  @state() private saveError = '';
  @state() private conflict: CardConflict | undefined;
  @state() private panel: Panel | undefined;
  @state() private panelError = '';
  @state() private busy = false;
  @state() private voteError = '';
  @state() private actionMessage = '';
  @state() private copyFallback = false;
  @state() private history: History | undefined;
  @state() private historyOpen = false;
  @state() private notice = '';
  @state() private announcement = '';

  #connectedAt = 0;
  #noticed: string | undefined;
  #draftChecked: string | undefined;
  #historyController: AbortController | undefined;
  /** The key of the card being created, kept until the server confirms it (a retry never makes two). */
  #createKey: { key: string; body: string } | undefined;

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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#historyController?.abort();
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
      if (this.#canEdit(card) && hasLocalDraft(`card:${id}`)) this.editing = true;
    }
    if (this.editing && card && !this.#canEdit(card) && this.#session.value?.status === 'ready') this.editing = false;
    if ((this.editing || (this.creating && !id && this.#me)) && !this.editorReady && !this.editorFailed) void this.#loadEditor();
    this.#notice(card);
  }

  #reset(): void {
    this.createdId = undefined;
    this.editing = this.edit;
    this.saveError = '';
    this.conflict = undefined;
    this.panel = undefined;
    this.voteError = '';
    this.actionMessage = '';
    this.copyFallback = false;
    this.history = undefined;
    this.historyOpen = false;
    this.notice = '';
    this.#historyController?.abort();
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

  async #loadEditor(): Promise<void> {
    this.editorFailed = false;
    try {
      await loadEditor();
    } catch {
      // Reported below: the tag is still undefined.
    }
    this.editorReady = !!customElements.get('guild-card-editor');
    this.editorFailed = !this.editorReady;
  }

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
    this.editing = true;
    this.panel = undefined;
    this.saveError = '';
    this.conflict = undefined;
    void this.#loadEditor().then(() => this.#focusEditor());
  }

  #focusEditor(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('guild-card-editor')?.focus());
  }

  #stopEditing(): void {
    this.editing = false;
    this.saveError = '';
    this.conflict = undefined;
    this.#focus('[data-action="edit"]');
  }

  readonly #onSave = async (event: GuildCardEditorSaveEvent): Promise<void> => {
    event.stopPropagation();
    const { fields, publish, baseVersion } = event.value;
    const { i18n } = this;
    this.saveError = '';
    const id = this.#id;
    const card = this.#card.value?.data;
    try {
      if (!id) {
        // One intention, one key: sending the same card again after a failure reuses it.
        const body = JSON.stringify([fields, publish]);
        const key = this.#createKey?.body === body ? this.#createKey.key : crypto.randomUUID();
        this.#createKey = { key, body };
        const community = this.#community;
        const created = await createCard(
          this.connection,
          { ...fields, status: publish ? 'published' : 'draft', ...(community ? { communityId: community } : {}) },
          key,
        );
        this.#createKey = undefined;
        event.done(true);
        this.createdId = created.id;
        this.editing = false;
        this.announcement = publish ? i18n.t('cardPublishedDone') : i18n.t('cardDraftSavedDone');
        this.dispatchEvent(new GuildCardSavedEvent(created, 'created'));
      } else {
        if (!card) return event.done(false);
        const update: CardUpdate = {
          baseVersion: baseVersion ?? card.version,
          title: fields.title,
          summary: fields.summary,
          body: fields.body,
          tags: fields.tags,
          ...(publish && card.status === 'draft' ? { status: 'published' as const } : {}),
        };
        const saved = await updateCard(this.connection, id, update);
        event.done(true);
        this.editing = false;
        this.conflict = undefined;
        const published = card.status === 'draft' && saved.status === 'published';
        this.announcement = published ? i18n.t('cardPublishedDone') : saved.status === 'draft' ? i18n.t('cardDraftSavedDone') : i18n.t('cardSavedVersion', saved.version);
        this.dispatchEvent(new GuildCardSavedEvent(saved, published ? 'published' : 'edited'));
      }
      this.#focus('h2.title');
    } catch (thrown) {
      event.done(false);
      const error = errorFromException(thrown);
      if (id && error.status === 409) {
        await this.#showConflict(id, baseVersion);
        return;
      }
      this.saveError = i18n.t('cardSaveFailed', i18n.reason(error));
      this.announcement = this.saveError;
    }
  };

  /** Someone saved another version meanwhile: say who and which, keep the text, offer theirs and saving on top. */
  async #showConflict(id: string, baseVersion: number | undefined): Promise<void> {
    const { i18n } = this;
    try {
      const latest = await latestCard(this.connection, id);
      this.conflict = { version: latest.version, editor: latest.lastEditor?.name ?? latest.author.name, latest: fieldsOf(latest) };
    } catch (thrown) {
      this.conflict = undefined;
      this.saveError = i18n.t('cardSaveFailed', i18n.reason(thrown));
      this.announcement = this.saveError;
      return;
    }
    if (this.conflict.version === baseVersion) {
      // Refused for another reason (the same save still in flight): say what the server said.
      this.conflict = undefined;
      this.saveError = i18n.t('cardSaveFailed', i18n.t('errorServer'));
    }
  }

  #openPanel(panel: Panel): void {
    this.panel = panel;
    this.panelError = '';
    this.actionMessage = '';
    this.#focus(panel === 'verify' ? '#verify-days' : '#flag-reason');
  }

  #closePanel(): void {
    const panel = this.panel;
    this.panel = undefined;
    this.panelError = '';
    if (panel) this.#focus(`[data-action="${panel}"]`);
  }

  readonly #onPanelKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.#closePanel();
  };

  async #act(action: () => Promise<unknown>, done: string, panel: Panel): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.panelError = '';
    try {
      await action();
      this.panel = undefined;
      this.actionMessage = done;
      this.announcement = done;
      this.#focus(`[data-action="${panel}"]`);
    } catch (error) {
      this.panelError = this.i18n.t('cardActionFailed', this.i18n.reason(error));
    } finally {
      this.busy = false;
    }
  }

  readonly #onVerify = (event: SubmitEvent): void => {
    event.preventDefault();
    const id = this.#id;
    const field = this.renderRoot.querySelector<HTMLInputElement>('#verify-days');
    if (!id || !field) return;
    if (!field.checkValidity()) {
      field.reportValidity();
      return;
    }
    const days = field.value ? Number(field.value) : undefined;
    void this.#act(() => verifyCard(this.connection, id, days), this.i18n.t('cardVerifiedDone'), 'verify');
  };

  readonly #onFlag = (event: SubmitEvent): void => {
    event.preventDefault();
    const id = this.#id;
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('#flag-reason');
    const reason = field?.value.trim() ?? '';
    if (!id || !field) return;
    if (!reason) {
      field.focus();
      return;
    }
    void this.#act(() => flagCard(this.connection, id, reason), this.i18n.t('cardFlaggedDone'), 'flag');
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
      if (!('clipboard' in navigator)) throw new Error('No clipboard');
      await navigator.clipboard.writeText(url);
      this.actionMessage = this.i18n.t('cardLinkCopied');
    } catch {
      // No clipboard (an insecure page, a denied permission): offer the link selected, to copy by hand.
      this.copyFallback = true;
      await this.updateComplete;
      const field = this.renderRoot.querySelector<HTMLInputElement>('.copy-field input');
      field?.focus();
      field?.select();
    }
  }

  async #toggleHistory(id: string): Promise<void> {
    this.historyOpen = !this.historyOpen;
    if (!this.historyOpen || this.history?.status === 'ready' || this.history?.status === 'loading') return;
    this.#historyController?.abort();
    const controller = new AbortController();
    this.#historyController = controller;
    this.history = { status: 'loading', items: [], error: '' };
    try {
      const items = await cardVersions(this.connection, id, controller.signal);
      if (!controller.signal.aborted) this.history = { status: 'ready', items, error: '' };
    } catch (error) {
      if (!controller.signal.aborted) this.history = { status: 'error', items: [], error: this.i18n.t('cardHistoryFailed', this.i18n.reason(error)) };
    }
  }

  #open(event: MouseEvent, card: Card): void {
    const open = new GuildCardOpenEvent(card);
    this.dispatchEvent(open);
    if (open.defaultPrevented) event.preventDefault();
  }

  #link(card: Card): string | undefined {
    return safeUrl(card.url, this.connection.api);
  }

  #renderTrust(card: Card): TemplateResult {
    const { i18n } = this;
    const { trust } = card;
    const someone = i18n.t('cardSomeone');
    const parts: string[] = [];
    switch (trust.state) {
      case 'verified':
        parts.push(trust.verifiedAt ? i18n.t('trustVerified', trust.verifiedBy?.name ?? someone, trust.verifiedAt) : i18n.t('trustVerified', trust.verifiedBy?.name ?? someone, card.updatedAt));
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
    const [first, ...rest] = parts;
    return html`<p class="trust ${trust.state}" part="trust" data-state=${trust.state}>
      <span class="mark" aria-hidden="true">${trust.state === 'verified' ? '✓' : trust.state === 'unverified' ? '○' : '!'}</span>
      <strong>${first}</strong>${rest.map((part) => html` · <span>${part}</span>`)}
    </p>`;
  }

  #renderSkeleton(label: string): TemplateResult {
    return html`<div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
      <p class="visually-hidden" role="status">${label}</p>`;
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
    const history = this.history;
    return html`<div class="history" part="history">
      <button type="button" class="link" data-action="history" aria-expanded=${this.historyOpen ? 'true' : 'false'} aria-controls="versions" @click=${() => void this.#toggleHistory(card.id)}>
        ${i18n.t('cardEditedBy', editor.name, card.version)}
      </button>
      <section id="versions" aria-label=${i18n.t('cardHistory')} ?hidden=${!this.historyOpen}>
        ${!this.historyOpen || !history
          ? nothing
          : history.status === 'loading'
            ? html`<p class="note" role="status">${i18n.t('cardHistoryLoading')}</p>`
            : history.status === 'error'
              ? html`<p class="error" role="alert">${history.error}</p>`
              : html`<ol class="versions">
                  ${history.items.map(
                    (version) => html`<li>
                      <details>
                        <summary>${i18n.t('cardVersion', version.version, version.editor.name, version.createdAt)}</summary>
                        <div class="version">
                          <p class="version-title"><strong>${version.title}</strong></p>
                          ${version.summary ? html`<p class="summary">${version.summary}</p>` : nothing}
                          <div class="body">${renderMarkdown(version.body, this.connection.api)}</div>
                          ${version.tags.length ? html`<p class="note">${i18n.t('cardTags')}: ${version.tags.join(', ')}</p>` : nothing}
                        </div>
                      </details>
                    </li>`,
                  )}
                </ol>`}
      </section>
    </div>`;
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

  #renderPanel(card: Card): TemplateResult | typeof nothing {
    const { i18n } = this;
    if (this.panel === 'verify') {
      return html`<form class="panel" @submit=${this.#onVerify} @keydown=${this.#onPanelKeyDown} aria-labelledby="verify-legend">
        <p id="verify-legend" class="legend">${i18n.t('cardVerifyLegend')}</p>
        <label for="verify-days">${i18n.t('cardVerifyInterval')}</label>
        <input id="verify-days" name="days" type="number" inputmode="numeric" min="1" max="730" step="1" placeholder=${String(card.reviewIntervalDays)} />
        <div class="row">
          <button type="button" @click=${() => this.#closePanel()}>${i18n.t('cardCancel')}</button>
          <button type="submit" class="primary" aria-busy=${this.busy ? 'true' : 'false'}>${i18n.t('cardVerifySend')}</button>
        </div>
        ${this.panelError ? html`<p class="error" role="alert">${this.panelError}</p>` : nothing}
      </form>`;
    }
    if (this.panel === 'flag') {
      return html`<form class="panel" @submit=${this.#onFlag} @keydown=${this.#onPanelKeyDown} aria-labelledby="flag-label">
        <label id="flag-label" for="flag-reason">${i18n.t('cardFlagLabel')}</label>
        <textarea id="flag-reason" name="reason" required maxlength="1000" aria-required="true"></textarea>
        <div class="row">
          <button type="button" @click=${() => this.#closePanel()}>${i18n.t('cardCancel')}</button>
          <button type="submit" class="primary" aria-busy=${this.busy ? 'true' : 'false'}>${i18n.t('cardFlagSend')}</button>
        </div>
        ${this.panelError ? html`<p class="error" role="alert">${this.panelError}</p>` : nothing}
      </form>`;
    }
    return nothing;
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
      ${this.#renderPanel(card)}
      ${this.copyFallback && url ? html`<label class="copy-field">${i18n.t('cardCopyManually')} <input type="url" readonly .value=${url} /></label>` : nothing}
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
            <span class="trust-chip ${item.trust.state}">${this.#trustLabel(item)}</span>
          </li>`;
        })}
      </ul>
    </nav>`;
  }

  #trustLabel(card: Card): string {
    const { i18n } = this;
    switch (card.trust.state) {
      case 'verified':
        return i18n.t('trustVerified', card.trust.verifiedBy?.name ?? i18n.t('cardSomeone'), card.trust.verifiedAt ?? card.updatedAt);
      case 'needs-review':
        return i18n.t('trustNeedsReview');
      case 'outdated':
        return i18n.t('trustOutdated', card.trust.flagReason ?? '');
      default:
        return i18n.t('trustUnverified');
    }
  }

  #renderEditor(card: Card | undefined): TemplateResult {
    const { i18n } = this;
    if (this.editorFailed)
      return html`<div part="error">
        <p class="error" role="alert">${i18n.t('cardEditorFailed')}</p>
        <button type="button" @click=${() => void this.#loadEditor()}>${i18n.t('retry')}</button>
      </div>`;
    if (!this.editorReady) return html`<p class="note" role="status">${i18n.t('cardEditorLoading')}</p>`;
    const community = this.#community ?? '';
    return html`<guild-card-editor
      part="editor"
      .i18n=${i18n}
      .markdown=${this.#markdown}
      .draftId=${card ? `card:${card.id}` : `card:new:${community}`}
      .initial=${card ? fieldsOf(card) : { title: '', summary: '', body: '', tags: [] }}
      .baseVersion=${card?.version}
      .kind=${card ? card.status : 'new'}
      .cancellable=${!!card}
      .error=${this.saveError}
      .conflict=${this.conflict}
      @guild-card-editor-save=${(event: GuildCardEditorSaveEvent) => void this.#onSave(event)}
      @guild-card-editor-cancel=${() => this.#stopEditing()}
    ></guild-card-editor>`;
  }

  readonly #markdown = (source: string) => renderMarkdown(source, this.connection.api);

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
    return html`<article class=${classes} part="base" aria-label=${label ?? nothing} aria-busy=${busy ? 'true' : 'false'}>
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
