import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { tagReady } from '../../internal/autoload.js';
import { GuildElement } from '../../internal/guild-element.js';
import { addMessages } from '../../internal/i18n.js';
import { renderMarkdown } from '../../internal/markdown.js';
import { safeUrl } from '../../internal/safe-url.js';
import { initials, pageSubject } from '../../internal/people.js';
import { StoreController } from '../../internal/store-controller.js';
import { themeStyles } from '../../internal/theme.js';
import {
  countStore,
  loadMore,
  loadThread,
  reloadCount,
  showIncoming,
  sourceCardsStore,
  threadInternals,
  threadStore,
  TOP,
  type Comment,
  type CommentSort,
  type CountState,
  type SourceCardsState,
  type ThreadState,
  type WrittenCard,
} from '../../stores/discussions.js';
import { draftStored } from '../../stores/batch.js';
import { isFacilitator, isSignedOut, signedInId, sessionStore, type Session } from '../../stores/session.js';
import type { GuildCommentTools, GuildCommentToolEvent } from './comment-tools.js';
import { threadControlStyles, threadStyles } from './discussion-thread.styles.js';
import { threadMessages, threadTranslations } from './messages.js';

addMessages(threadMessages, threadTranslations);

/** Replies indent this many levels; deeper ones line up with the last level and say whom they answer. */
const MAX_INDENT = 3;
const DEFAULT_REACTIONS = ['👍', '🎉', '💡', '❤️'];

/** Fired after the server confirmed a new comment of the reader's. */
export class GuildCommentPostedEvent extends Event {
  static readonly eventName = 'guild-comment-posted';
  constructor(readonly comment: Comment) {
    super(GuildCommentPostedEvent.eventName, { bubbles: true, composed: true });
  }
}

const COMPOSER = 'guild-comment-composer';
const TOOLS = 'guild-comment-tools';

type CommentActions = ReturnType<typeof GuildCommentTools.actionsFor>;

/**
 * The discussion's write actions, which arrive with the tools' chunk (lazy code loads through the
 * registry, as tags: the script-tag bundle fetches it on first need, `guildkit/define/discussion-thread.js`
 * registers it up front). Nothing when the chunk did not arrive (the registry tries again next time).
 */
async function loadActions(): Promise<CommentActions | undefined> {
  await tagReady(TOOLS);
  return (customElements.get(TOOLS) as typeof GuildCommentTools | undefined)?.actionsFor(threadInternals);
}

interface Editing {
  kind: 'reply' | 'edit' | 'flag' | 'delete';
  id: string;
}

/** A form under a comment, or the draft card made from an accepted answer. */
interface Form {
  kind: Editing['kind'] | 'card';
  id: string;
}

/** Comments in the first screen's render: about a viewport, painted before the rest are rendered. */
const REVEAL_FIRST = 5;
/** Comments added per render after that, each in its own time slice. */
const REVEAL_STEP = 5;

/**
 * A live discussion on any subject: comments and nested replies, reactions, edits, Q&A with an
 * accepted answer, moderation by facilitators, and new comments from others offered without moving
 * what the reader is reading. `view="count"` shows only the comment count, as a link.
 *
 * @element guild-discussion-thread
 *
 * @fires guild-comment-posted - The server confirmed a new comment of the reader's; `comment` is it.
 *
 * @csspart base - The whole thread.
 * @csspart header - The count, sort and thread actions.
 * @csspart comment - Each comment (an `<article>`).
 * @csspart body - A comment's text.
 * @csspart reactions - A comment's reaction buttons.
 * @csspart actions - A comment's action buttons.
 * @csspart composer - The box to write in (a new comment, a reply, an edit), and the "Write a comment…" button that opens it.
 * @csspart card - The draft card made from an accepted answer, to finish and publish (a `<guild-knowledge-card>`).
 * @csspart cards - The links to the cards written from a question.
 * @csspart new-comments - The "N new comments" button.
 * @csspart more - "Show more" buttons.
 * @csspart retry - "Try again" when the discussion could not be loaded.
 * @csspart count - The count link of `view="count"`.
 *
 * @cssprop --guild-color-accent - Buttons, links, the accepted answer (default: `#2563eb`).
 * @cssprop --guild-color-on-accent - Text on the accent colour (default: `#ffffff`).
 * @cssprop --guild-color-text - Text (default: `#1f2937`).
 * @cssprop --guild-color-muted - Secondary text (default: `#4b5563`).
 * @cssprop --guild-color-surface - Background (default: `#ffffff`).
 * @cssprop --guild-color-border - Borders (default: `#d1d5db`).
 * @cssprop --guild-color-danger - Errors (default: `#b91c1c`).
 * @cssprop --guild-radius - Corner radius of pill buttons (default: `999px`).
 * @cssprop --guild-font-family - Font (default: inherited).
 * @cssprop --guild-font-size - Base size (default: `15px`).
 * @cssprop --guild-thread-indent - Indentation of each reply level (default: `1.5em`).
 */
export class GuildDiscussionThread extends GuildElement {
  protected static override formatsDates = true;
  static override styles = [themeStyles, threadControlStyles, threadStyles];

  readonly #thread = new StoreController<ThreadState>(this);
  readonly #count = new StoreController<CountState>(this);
  readonly #session = new StoreController<Session>(this);
  readonly #cards = new StoreController<SourceCardsState>(this);

  /** What the discussion is about: any string, e.g. `course-101/week-1`. Defaults to the page's path. */
  @property({ attribute: 'subject' }) subject: string | undefined;

  /** `thread` (default) or `count`: just "12 comments" as a link, for lists of pages. */
  @property({ attribute: 'view' }) view: 'thread' | 'count' | undefined;

  /** `question` makes a new thread a question whose author accepts an answer. */
  @property({ attribute: 'mode' }) mode: 'discussion' | 'question' | undefined;

  /** The community a new thread belongs to (its facilitators moderate it). */
  @property({ attribute: 'community' }) community: string | undefined;

  /** The reactions offered, comma-separated, e.g. `👍,🎉,💡,❤️` (only those the server allows show). */
  @property({ attribute: 'reactions' }) reactions: string | undefined;

  /** Initial order: `oldest` (default), `newest` or `reactions`. */
  @property({ attribute: 'sort' }) sort: CommentSort | undefined;

  /** `off` hides the kudos button on each comment (thanks credited to the comment's author). */
  @property({ attribute: 'kudos' }) kudos: 'on' | 'off' | undefined;

  /** Where the count links to in `view="count"` (default: the subject, when it is a path). */
  @property({ attribute: 'href' }) href: string | undefined;

  /**
   * The thread's name for screen readers (its landmark): "Week 1 discussion". Default: "Discussion",
   * or "Question" in `mode="question"`. Give each thread its own when a page has several.
   */
  @property({ attribute: 'label' }) label: string | undefined;

  @state() private editing: Editing | undefined;
  @state() private composerReady = false;
  @state() private writing = false;
  @state() private announcement = '';
  @state() private errors: Record<string, string> = {};
  /** The accepted answer whose draft card shows under it, to finish and publish. */
  @state() private cardFor: string | undefined;
  /** The buttons whose action is under way (its code loading, or its request), by `kind:comment`. */
  @state() private parts: Record<string, boolean> = {};

  /**
   * Many new comments at once (the first page, "Show more", a branch of replies) appear a few at a
   * time: the first screen is painted before the rest are rendered, and no render of twenty comments,
   * each with its own kudos button, holds the page in one long task. Comments already on screen are
   * always rendered; only those new to the screen are counted.
   */
  #onScreen = new Set<string>();
  #rendering = new Set<string>();
  #new = 0;
  #cut = false;
  /** Resolves when the next few comments are asked for; `updateComplete` waits until all are shown. */
  #revealing: Promise<void> | undefined;
  /** The subject whose stored draft was looked for. */
  #draftChecked: string | undefined;

  constructor() {
    super();
    // The tools load when a reader who may act points at or tabs into the thread, so a click rarely waits.
    this.addEventListener('pointerover', this.#onIntent);
    this.addEventListener('focusin', this.#onIntent);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const connectionChanged = this.connectionChanged(changed);
    if (connectionChanged || changed.has('subject') || changed.has('view') || (!this.#thread.store && !this.#count.store)) {
      this.#session.store = sessionStore(this.connection);
      if (this.view === 'count') {
        this.#thread.store = undefined;
        this.#count.store = countStore(this.connection, this.#subject);
      } else {
        this.#count.store = undefined;
        this.#thread.store = threadStore(this.connection, this.#subject);
        if (this.sort && this.sort !== this.#thread.store.get().sort) void loadThread(this.connection, this.#subject, this.sort);
      }
      if (changed.get('subject') !== undefined) {
        this.editing = undefined;
        this.announcement = '';
        this.errors = {};
      }
    }
    // A question links to the cards written from it (one small read, only for questions).
    const question = this.view !== 'count' && (this.#thread.value?.thread?.mode ?? this.mode) === 'question';
    this.#cards.store = question ? sourceCardsStore(this.connection, this.#subject) : undefined;
    if (changed.get('subject') !== undefined) this.cardFor = undefined;
    if (this.view !== 'count' && this.#draftChecked !== this.#subject) {
      // Text written here before a reload comes back in the composer.
      const subject = (this.#draftChecked = this.#subject);
      void draftStored(this.#draftId('new')).then((stored) => {
        if (stored && subject === this.#subject && this.view !== 'count' && !this.composerReady && !this.writing) void this.#openComposer(false);
      });
    }
    if (this.view !== 'count' && this.kudos !== 'off') void tagReady('guild-kudos-button');
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.#cut || this.#revealing) return;
    // The first screen is painted before the next comments are rendered (a timer too, for a page in
    // the background); later steps wait for the next render slice only.
    const first = this.#onScreen.size <= REVEAL_FIRST;
    this.#revealing = new Promise<void>((resolve) => {
      if (first) {
        requestAnimationFrame(() => setTimeout(resolve));
        setTimeout(resolve, 100);
      } else resolve();
    }).then(() => {
      this.#revealing = undefined;
      // A thread taken off the page goes on when it is back (see `connectedCallback`).
      if (this.isConnected) this.requestUpdate();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#cut) this.requestUpdate();
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    // A step may have been asked for already (its promise settled before this line ran).
    while (this.#revealing || (this.#cut && this.isUpdatePending)) {
      await this.#revealing;
      complete = await super.getUpdateComplete();
    }
    return complete;
  }

  get #subject(): string {
    return this.subject || pageSubject();
  }

  get #me(): string | undefined {
    return signedInId(this.#session.value);
  }

  get #signedOut(): boolean {
    return isSignedOut(this.#session.value);
  }

  get #isFacilitator(): boolean {
    return isFacilitator(this.#session.value, this.#thread.value?.thread?.community);
  }

  get #offered(): string[] {
    const wanted = this.reactions ? this.reactions.split(',').map((r) => r.trim()).filter(Boolean) : DEFAULT_REACTIONS;
    const allowed = this.#thread.value?.thread?.allowedReactions;
    return allowed ? wanted.filter((emoji) => allowed.includes(emoji)) : wanted;
  }

  /** Where the composer of `target` (`new`, `reply:<id>`, `edit:<id>`) keeps its draft (`stores/drafts.ts` adds the prefix). */
  #draftId(target: string): string {
    return `comment:${this.#subject}:${target}`;
  }

  readonly #onIntent = (): void => {
    if (this.view === 'count' || !this.#me) return;
    this.removeEventListener('pointerover', this.#onIntent);
    this.removeEventListener('focusin', this.#onIntent);
    void tagReady(TOOLS);
  };

  async #openComposer(focus: boolean): Promise<void> {
    this.writing = true;
    // The composer's strings and the code that posts come with the tools.
    if (!(await Promise.all([tagReady(COMPOSER), tagReady(TOOLS)])).every(Boolean)) {
      this.writing = false;
      this.#fail('composer', this.i18n.t('partFailed'));
      return;
    }
    this.composerReady = true;
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('guild-comment-tools.top')?.focus();
    }
  }

  #fail(id: string, reason: string): void {
    const message = this.i18n.t('actionFailed', reason);
    this.errors = { ...this.errors, [id]: message };
    this.announcement = message;
  }

  #clearError(id: string): void {
    if (!(id in this.errors)) return;
    const errors = { ...this.errors };
    delete errors[id];
    this.errors = errors;
  }

  /**
   * Runs a write action (its code loads first if the reader's intent did not load it yet), showing why
   * it failed. Its button (`button`, a key of `parts`) is busy meanwhile.
   */
  async #act(id: string, button: string, action: (actions: CommentActions) => Promise<unknown>): Promise<void> {
    this.#clearError(id);
    this.parts = { ...this.parts, [button]: true };
    const actions = await loadActions();
    try {
      if (actions) await action(actions);
      else this.#fail(id, this.i18n.t('partFailed'));
    } catch (error) {
      this.#fail(id, this.i18n.reason(error));
    }
    this.parts = { ...this.parts, [button]: false };
  }

  #busy(button: string): 'true' | 'false' {
    return this.parts[button] ? 'true' : 'false';
  }

  #renderWrittenCards(): TemplateResult | typeof nothing {
    const cards = this.#cards.value?.items ?? [];
    const links = cards
      .filter((card) => card.status === 'published')
      .map((card) => ({ card, url: safeUrl(card.url, this.connection.api) }))
      .filter((entry): entry is { card: WrittenCard; url: string } => !!entry.url);
    if (!links.length) return nothing;
    return html`<ul class="written" part="cards">
      ${links.map(({ card, url }) => html`<li>${this.i18n.t('writtenUpAs')} <a href=${url}>${card.title}</a></li>`)}
    </ul>`;
  }

  /**
   * Opens a form (or the draft card) at once: a loading line stands in for it while its code arrives.
   * If that code cannot be loaded, the form closes with an error; its button (still there) tries again.
   */
  async #startEditing(form: Form): Promise<void> {
    const key = `${form.kind}:${form.id}`;
    const trigger = this.shadowRoot?.activeElement;
    this.#clearError(form.id);
    const open = (on: boolean) => {
      // A draft card stays open while the reader writes elsewhere.
      if (form.kind === 'card') this.cardFor = on ? form.id : undefined;
      else this.editing = on ? { kind: form.kind, id: form.id } : undefined;
    };
    open(true);
    const tags = form.kind === 'reply' || form.kind === 'edit' ? [TOOLS, COMPOSER] : [TOOLS];
    if (!tags.every((tag) => customElements.get(tag))) {
      this.parts = { ...this.parts, [key]: true };
      const ready = (await Promise.all(tags.map(tagReady))).every(Boolean);
      this.parts = { ...this.parts, [key]: false };
      if (!ready) {
        open(false);
        this.#fail(form.id, this.i18n.t('partFailed'));
        return;
      }
    }
    await this.updateComplete;
    // The form takes the focus from its button, unless the reader went elsewhere while its code loaded.
    const active = this.shadowRoot?.activeElement;
    if (active === trigger || document.activeElement === document.body) this.renderRoot.querySelector<HTMLElement>(`[data-editing="${CSS.escape(key)}"]`)?.focus();
  }

  #stopEditing(): void {
    const id = this.editing?.id;
    this.editing = undefined;
    if (id) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#c-${CSS.escape(id)} .actions button`)?.focus());
  }

  #name(comment: Comment): string {
    return comment.author?.name ?? this.i18n.t('someone');
  }

  #renderTime(iso: string): TemplateResult {
    const f = this.i18n.formatters;
    return html`<time datetime=${iso} title=${f.dateTime(iso)}>${f.relative(iso)}</time>`;
  }

  #renderAvatar(comment: Comment): TemplateResult {
    const author = comment.author;
    const src = author?.avatarUrl ? safeUrl(author.avatarUrl, this.connection.api) : undefined;
    return src ? html`<img class="avatar" src=${src} alt="" loading="lazy" />` : html`<span class="avatar" aria-hidden="true">${author ? initials(author.name) : '·'}</span>`;
  }

  #renderReactions(comment: Comment, canReact: boolean, state: ThreadState): TemplateResult | typeof nothing {
    const offered = this.#offered;
    // Thanks for a comment go to its author: a compact kudos button, one batched read for the page.
    const kudos =
      this.kudos !== 'off' && !comment.id.startsWith('local:')
        ? html`<guild-kudos-button subject=${`comment:${comment.id}`} view="compact" api=${this.api ?? nothing} community=${state.thread?.community ?? nothing}></guild-kudos-button>`
        : nothing;
    const shown = [...comment.reactions.filter((r) => r.count > 0).map((r) => r.emoji), ...offered.filter((emoji) => !comment.reactions.some((r) => r.emoji === emoji))];
    const visible = canReact ? shown : shown.filter((emoji) => comment.reactions.some((r) => r.emoji === emoji));
    if (!visible.length && kudos === nothing) return nothing;
    return html`<div class="reactions" part="reactions" role="group" aria-label=${this.i18n.t('reactionsLabel')}>
      ${kudos}
      ${visible.map((emoji) => {
        const reaction = comment.reactions.find((r) => r.emoji === emoji);
        const count = reaction?.count ?? 0;
        const names = (reaction?.people ?? []).map((p) => (p.id === this.#me ? this.i18n.t('you') : p.name));
        const summary = count ? this.i18n.t('reactionSummary', emoji, count, names) : this.i18n.t('reactWith', emoji);
        return html`<span class="reaction">
          <button
            type="button"
            aria-pressed=${reaction?.reactedByMe ? 'true' : 'false'}
            aria-disabled=${canReact ? 'false' : 'true'}
            aria-label=${summary}
            aria-busy=${this.#busy(`react${emoji}:${comment.id}`)}
            @click=${() => (canReact ? void this.#act(comment.id, `react${emoji}:${comment.id}`, (actions) => actions.toggleReaction(this.connection, this.#subject, comment.id, emoji)) : undefined)}
          >
            <span aria-hidden="true">${emoji}</span>${count ? html` <span class="n" aria-hidden="true">${this.i18n.formatters.number(count)}</span>` : nothing}
          </button>
          <span class="tip" aria-hidden="true">${summary}</span>
        </span>`;
      })}
    </div>`;
  }

  #renderActions(comment: Comment, state: ThreadState): TemplateResult | typeof nothing {
    if (comment.id.startsWith('local:')) return nothing;
    const me = this.#me;
    const thread = state.thread;
    const facilitator = this.#isFacilitator;
    const locked = !!thread?.locked && !facilitator;
    const mine = !!me && comment.author?.id === me;
    const visible = comment.state === 'visible';
    const isQuestion = thread?.mode === 'question';
    const questionId = this.#questionId(state);
    const canAccept = isQuestion && visible && comment.parentId === null && comment.id !== questionId && (facilitator || (!!me && thread?.createdBy === me));
    const accepted = thread?.acceptedCommentId === comment.id;
    const buttons: TemplateResult[] = [];
    // Each form's button is labelled with its kind's message ("Reply", "Edit", "Delete", "Flag").
    const busy = (kind: string) => this.#busy(`${kind}:${comment.id}`);
    const open = (kind: Editing['kind']) =>
      html`<button type="button" aria-busy=${busy(kind)} @click=${() => void this.#startEditing({ kind, id: comment.id })}>${this.i18n.t(kind)}</button>`;
    const moderate = (change: { pinned: boolean } | { hidden: boolean }, label: string) =>
      html`<button type="button" aria-busy=${busy(label)} @click=${() => void this.#act(comment.id, `${label}:${comment.id}`, (actions) => actions.moderateComment(this.connection, this.#subject, comment.id, change))}>
        ${label}
      </button>`;
    if (me && visible && !locked) buttons.push(open('reply'));
    if (mine && visible) buttons.push(open('edit'));
    if (mine && comment.state !== 'deleted') buttons.push(open('delete'));
    if (me && !mine && visible) buttons.push(open('flag'));
    if (canAccept)
      buttons.push(
        html`<button
          type="button"
          aria-pressed=${accepted ? 'true' : 'false'}
          aria-busy=${busy('accept')}
          @click=${() => void this.#act(comment.id, `accept:${comment.id}`, (actions) => actions.updateThread(this.connection, this.#subject, { acceptedCommentId: accepted ? null : comment.id }))}
        >
          ${accepted ? this.i18n.t('unaccept') : this.i18n.t('accept')}
        </button>`,
      );
    // "Turn into a card" stays, busy, until the draft card's code has arrived to take its place.
    const written = (this.#cards.value?.items ?? []).some((card) => card.sourceCommentId === comment.id) || (this.cardFor === comment.id && busy('card') === 'false');
    if (me && accepted && visible && !written)
      buttons.push(
        html`<button type="button" data-action="to-card" aria-busy=${busy('card')} @click=${() => void this.#startEditing({ kind: 'card', id: comment.id })}>
          ${this.i18n.t('turnIntoCard')}
        </button>`,
      );
    if (facilitator && comment.parentId === null && visible) buttons.push(moderate({ pinned: !comment.pinned }, comment.pinned ? this.i18n.t('unpin') : this.i18n.t('pin')));
    if (facilitator && comment.state !== 'deleted')
      buttons.push(moderate({ hidden: comment.state !== 'hidden' }, comment.state === 'hidden' ? this.i18n.t('unhide') : this.i18n.t('hide')));
    if (!buttons.length) return nothing;
    return html`<div class="actions" part="actions" role="group" aria-label=${this.i18n.t('actionsLabel', this.#name(comment))}>${buttons}</div>`;
  }

  /** What the tools tell: announce it, pass a new comment on, close the form when it is done with. */
  readonly #onTool = (event: GuildCommentToolEvent): void => {
    if (event.announcement) this.announcement = event.announcement;
    if (event.posted) this.dispatchEvent(new GuildCommentPostedEvent(event.posted));
    if (event.outcome === 'cancel') this.#stopEditing();
    else if (event.outcome === 'closed') this.editing = undefined;
  };

  #renderTools(kind: GuildCommentTools['kind'], state: ThreadState, comment?: Comment, question = false): TemplateResult {
    const key = `${kind}:${comment?.id ?? ''}`;
    if (this.parts[key]) return html`<p class="note" role="status">${this.i18n.t('partLoading')}</p>`;
    return html`<guild-comment-tools
      class=${kind === 'new' ? 'top' : ''}
      exportparts="composer, card"
      data-editing=${key}
      .draftId=${this.#draftId(kind === 'new' ? 'new' : key)}
      .i18n=${this.i18n}
      .connection=${this.connection}
      .threads=${threadInternals}
      .subject=${this.#subject}
      .kind=${kind}
      .comment=${comment}
      .community=${this.community ?? this.config.community}
      .mode=${this.mode}
      .mentionCommunity=${state.thread?.community}
      .question=${question}
      .source=${kind === 'card' ? state.comments[this.#questionId(state) ?? ''] : undefined}
      .href=${this.href}
      .api=${this.api}
      @guild-comment-tool=${this.#onTool}
    ></guild-comment-tools>`;
  }

  #questionId(state: ThreadState): string | undefined {
    const thread = state.thread;
    if (thread?.mode !== 'question') return undefined;
    // The question is the thread's first comment: the oldest top-level one by its author.
    let best: Comment | undefined;
    for (const id of state.branches[TOP]?.ids ?? []) {
      const c = state.comments[id];
      if (c && c.author?.id === thread.createdBy && (!best || c.createdAt < best.createdAt)) best = c;
    }
    return best?.id;
  }

  #renderComment(comment: Comment, state: ThreadState, depth: number, parent: Comment | undefined): TemplateResult {
    const sending = comment.id in state.sending;
    const thread = state.thread;
    const accepted = thread?.acceptedCommentId === comment.id;
    const isQuestion = this.#questionId(state) === comment.id;
    const facilitator = this.#isFacilitator;
    const canReact = !!this.#me && comment.state === 'visible' && !sending && (!thread?.locked || facilitator);
    const flattened = depth > MAX_INDENT && parent;
    let body: TemplateResult;
    if (comment.state === 'deleted') body = html`<p class="placeholder">${this.i18n.t('deletedPlaceholder')}</p>`;
    else if (comment.state === 'hidden' && !comment.body) body = html`<p class="placeholder">${this.i18n.t('hiddenPlaceholder')}</p>`;
    else if (this.editing?.kind === 'edit' && this.editing.id === comment.id) body = html``;
    else
      body = html`${comment.state === 'hidden' ? html`<p class="placeholder">${this.i18n.t('hiddenForYou')}</p>` : nothing}
        <div class="body" part="body">${renderMarkdown(comment.body, this.connection.api)}</div>`;
    const replies = state.branches[comment.id];
    const shownReplies = replies?.ids.length ?? 0;
    const moreReplies = comment.replyCount - shownReplies;
    return html`<li class="item">
      <article
        id=${`c-${comment.id}`}
        tabindex="-1"
        part="comment"
        class=${['comment', accepted ? 'accepted' : '', isQuestion ? 'question' : '', comment.state !== 'visible' ? 'muted' : '', sending ? 'sending' : ''].filter(Boolean).join(' ')}
        aria-label=${this.i18n.t('actionsLabel', this.#name(comment))}
        aria-busy=${sending ? 'true' : 'false'}
      >
        <header class="meta">
          ${this.#renderAvatar(comment)}
          <span class="who">${comment.author ? html`<strong>${comment.author.name}</strong>` : nothing}</span>
          ${this.#renderTime(comment.createdAt)}
          ${comment.editedAt ? html`<span class="note">· ${this.i18n.t('edited', this.i18n.formatters.relative(comment.editedAt))}</span>` : nothing}
          ${sending ? html`<span class="note">· ${this.i18n.t('sendingMark')}</span>` : nothing}
          ${comment.pinned ? html`<span class="badge">${this.i18n.t('pinned')}</span>` : nothing}
          ${accepted ? html`<span class="badge accepted-badge">✓ ${this.i18n.t('accepted')}</span>` : nothing}
          ${isQuestion ? html`<span class="badge">${this.i18n.t('questionLabel')}</span>` : nothing}
        </header>
        ${flattened ? html`<p class="note in-reply">${this.i18n.t('inReplyTo', this.#name(parent))}</p>` : nothing}
        ${body} ${this.editing?.id === comment.id ? this.#renderTools(this.editing.kind, state, comment) : nothing}
        ${comment.state === 'visible' ? this.#renderReactions(comment, canReact, state) : nothing} ${this.#renderActions(comment, state)}
        ${this.errors[comment.id] ? html`<p class="error" role="alert">${this.errors[comment.id]}</p>` : nothing}
        ${this.cardFor === comment.id ? this.#renderTools('card', state, comment) : nothing}
      </article>
      ${shownReplies ? this.#renderList(replies?.ids ?? [], state, depth + 1, comment, this.i18n.t('repliesLabel', this.#name(comment))) : nothing}
      ${moreReplies > 0
        ? html`<button type="button" class=${`more d${Math.min(depth + 1, MAX_INDENT)}`} part="more" aria-busy=${replies?.status === 'loading' ? 'true' : 'false'} @click=${(event: Event) => void this.#showMore(event, comment.id)}>
            ${shownReplies ? this.i18n.t('showMoreReplies') : this.i18n.t('showReplies', moreReplies)}
          </button>`
        : nothing}
      ${replies?.status === 'error' ? html`<p class="error" role="alert">${this.i18n.reason(replies.error)}</p>` : nothing}
    </li>`;
  }

  /** Loads the next comments of a branch. The button goes once the branch is complete: its focus goes to the first comment it brought. */
  async #showMore(event: Event, parent: string): Promise<void> {
    const button = event.currentTarget as HTMLElement;
    const focused = this.shadowRoot?.activeElement === button;
    const before = new Set(this.#thread.value?.branches[parent]?.ids ?? []);
    await loadMore(this.connection, this.#subject, parent);
    await this.updateComplete;
    if (!focused || button.isConnected || this.shadowRoot?.activeElement) return;
    const first = (this.#thread.value?.branches[parent]?.ids ?? []).find((id) => !before.has(id));
    if (first) this.renderRoot.querySelector<HTMLElement>(`#c-${CSS.escape(first)}`)?.focus();
  }

  #renderList(ids: string[], state: ThreadState, depth: number, parent: Comment | undefined, label: string): TemplateResult {
    // Beyond the deepest indentation, replies continue in the same list so the text keeps its width.
    const items: TemplateResult[] = [];
    for (const id of ids) {
      const comment = state.comments[id];
      if (!comment) continue;
      if (!this.#onScreen.has(id)) {
        // `#onScreen` is the last render's until this one ends: a first screen, or a step after it.
        // While a step waits for its frame, an update for another reason (a kudos read, who I am)
        // shows nothing new: the next step is the one that wait asks for.
        if (this.#revealing || this.#new >= (this.#onScreen.size ? REVEAL_STEP : REVEAL_FIRST)) {
          this.#cut = true;
          continue;
        }
        this.#new += 1;
      }
      this.#rendering.add(id);
      items.push(this.#renderComment(comment, state, depth, parent));
    }
    return html`<ol class="list" aria-label=${label}>
      ${items}
    </ol>`;
  }

  #renderComposer(state: ThreadState): TemplateResult {
    const thread = state.thread;
    if (this.#signedOut) return html`<p class="note signin">${this.i18n.t('threadSignIn')}</p>`;
    if (!this.#me) return html``;
    if (thread?.locked && !this.#isFacilitator) return html``;
    const question = (thread?.mode ?? this.mode) === 'question' && (thread?.commentCount ?? 0) > 0;
    if (!this.writing || !this.composerReady) {
      return html`<button type="button" class="start" part="composer" aria-busy=${this.writing ? 'true' : 'false'} @click=${() => void this.#openComposer(true)} @focus=${() => void tagReady(COMPOSER)}>
          ${question ? this.i18n.t('writeAnswer') : this.i18n.t('writeComment')}
        </button>
        ${this.errors['composer'] ? html`<p class="error" role="alert">${this.errors['composer']}</p>` : nothing}`;
    }
    return this.#renderTools('new', state, undefined, question);
  }

  #renderHeader(state: ThreadState): TemplateResult {
    const thread = state.thread;
    const count = thread?.commentCount ?? 0;
    const question = thread?.mode === 'question';
    const onSort = (event: Event) => void loadThread(this.connection, this.#subject, (event.target as HTMLSelectElement).value as CommentSort);
    return html`<header class="head" part="header">
      <h2 class="title">${question ? this.i18n.t('answerCount', Math.max(0, count - 1)) : this.i18n.t('commentCount', count)}</h2>
      ${question ? html`<span class=${thread.acceptedCommentId ? 'badge accepted-badge' : 'badge'}>${thread.acceptedCommentId ? this.i18n.t('answered') : this.i18n.t('unanswered')}</span>` : nothing}
      ${thread?.locked ? html`<span class="badge">🔒 ${this.i18n.t('threadLocked')}</span>` : nothing}
      <span class="grow"></span>
      ${count > 1
        ? html`<label class="sort"
            >${this.i18n.t('sortLabel')}
            <select @change=${onSort} .value=${state.sort}>
              <option value="oldest" ?selected=${state.sort === 'oldest'}>${this.i18n.t('sortOldest')}</option>
              <option value="newest" ?selected=${state.sort === 'newest'}>${this.i18n.t('sortNewest')}</option>
              <option value="reactions" ?selected=${state.sort === 'reactions'}>${this.i18n.t('sortReactions')}</option>
            </select></label
          >`
        : nothing}
      ${this.#isFacilitator && thread && count > 0
        ? html`<button type="button" aria-busy=${this.#busy('lock')} @click=${() => void this.#act('thread', 'lock', (actions) => actions.updateThread(this.connection, this.#subject, { locked: !thread.locked }))}>
            ${thread.locked ? this.i18n.t('unlock') : this.i18n.t('lock')}
          </button>`
        : nothing}
    </header>`;
  }

  #renderCount(): TemplateResult {
    const value = this.#count.value;
    const subject = this.#subject;
    const href = safeUrl(this.href ?? (subject.startsWith('/') ? `${subject}#comments` : '#comments'), location.href) ?? '#comments';
    if (value?.status === 'error' && !value.thread)
      return html`<span class="base" part="base"><span class="error">${this.i18n.t('threadLoadFailed')}</span> <button type="button" class="link" @click=${() => reloadCount(this.connection, subject)}>${this.i18n.t('retry')}</button></span>`;
    const text = value?.thread ? this.i18n.t('commentCount', value.thread.commentCount) : this.i18n.t('countLoading');
    return html`<span class="base count-view" part="base"><a part="count" href=${href} aria-busy=${value?.thread ? 'false' : 'true'}>${text}</a></span>`;
  }

  override render(): TemplateResult {
    // What this render shows, and how many comments new to the screen it has added.
    this.#new = 0;
    this.#cut = false;
    this.#rendering = new Set();
    const result = this.#renderView();
    this.#onScreen = this.#rendering;
    return result;
  }

  #renderView(): TemplateResult {
    if (this.view === 'count') return this.#renderCount();
    const state = this.#thread.value;
    let content: TemplateResult;
    if (!state || state.status === 'idle' || (state.status === 'loading' && !state.thread)) {
      content = html`<div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
        <p class="visually-hidden">${this.i18n.t('threadLoading')}</p>`;
    } else if (state.status === 'error' && !state.thread) {
      content = html`<p class="error" role="alert">${this.i18n.t('threadLoadFailed')} ${state.loadError ? this.i18n.reason(state.loadError) : ''}</p>
        <button type="button" class="retry" part="retry" @click=${() => void loadThread(this.connection, this.#subject)}>${this.i18n.t('retry')}</button>`;
    } else {
      const top = state.branches[TOP];
      const ids = top?.ids ?? [];
      const question = state.thread?.mode === 'question' || this.mode === 'question';
      content = html`${this.#renderHeader(state)} ${this.#renderWrittenCards()}
        ${state.incoming.length
          ? html`<button type="button" class="new" part="new-comments" @click=${() => showIncoming(this.connection, this.#subject)}>${this.i18n.t('newComments', state.incoming.length)}</button>`
          : nothing}
        ${ids.length
          ? this.#renderList(ids, state, 0, undefined, question ? this.i18n.t('questionLabel') : this.i18n.t('threadLabel'))
          : html`<p class="empty">${question ? this.i18n.t('questionEmpty') : this.i18n.t('threadEmpty')}</p>`}
        ${top?.nextCursor
          ? // Busy, not gone, while the page's last comments are still being shown: it keeps its focus.
            html`<button type="button" class="more" part="more" aria-busy=${top.status === 'loading' || this.#cut ? 'true' : 'false'} @click=${(event: Event) => void this.#showMore(event, TOP)}>
              ${this.i18n.t('showMore')}
            </button>`
          : nothing}
        ${top?.status === 'error' ? html`<p class="error" role="alert">${this.i18n.reason(top.error)}</p>` : nothing}
        ${this.errors['thread'] ? html`<p class="error" role="alert">${this.errors['thread']}</p>` : nothing}
        <div class="compose">${this.#renderComposer(state)}</div>`;
    }
    const questionMode = state?.thread?.mode === 'question' || this.mode === 'question';
    const label = this.label?.trim() || (questionMode ? this.i18n.t('questionLabel') : this.i18n.t('threadLabel'));
    return html`<section class="base" part="base" aria-label=${label} aria-busy=${state?.status === 'loading' ? 'true' : 'false'}>
      ${content}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement || (state?.incoming.length ? this.i18n.t('newCommentsAnnounced', state.incoming.length) : '')}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-discussion-thread': GuildDiscussionThread;
  }
  interface HTMLElementEventMap {
    'guild-comment-posted': GuildCommentPostedEvent;
  }
}
