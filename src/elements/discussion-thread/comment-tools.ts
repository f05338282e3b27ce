import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Connection } from '../../api/client.js';
import { tagReady } from '../../internal/autoload.js';
import { addMessages, type Translator } from '../../internal/i18n.js';
import { renderMarkdown } from '../../internal/markdown.js';
import { safeUrl } from '../../internal/safe-url.js';
import { cardStillThere, draftCardFromAnswer, flagComment, searchPeople, threadActions } from '../../stores/discussion-actions.js';
import type { Comment, ThreadInternals, WrittenCard } from '../../stores/discussions.js';
import type { GuildComposeEvent } from './composer.js';
// Nothing is used from it: importing the thread's module keeps what the thread and its tools share
// (the control styles) in the thread's chunk, always loaded first, rather than in a chunk every thread fetches.
import './discussion-thread.js';
import { threadControlStyles } from './discussion-thread.styles.js';
import { commentToolsMessages, composerMessages } from './tools-messages.js';

// German comes with the thread's translations; English arrives with this chunk, which every writer
// and actor loads (the composer's own chunk adds no strings: that would split the i18n module off the entry).
addMessages({ ...composerMessages, ...commentToolsMessages }, {});

/** A card's title is at most this long (the contract's `CardInput.title`). */
const MAX_CARD_TITLE = 200;
const MAX_CARD_BODY = 20_000;

/** The question's first line, as a card's title: "How do I run one test file?". */
function titleFrom(question: string): string {
  const line = question.split('\n').map((text) => text.replace(/^\s{0,3}(#{1,6}|>)\s*/, '').trim()).find(Boolean) ?? '';
  return [...line].slice(0, MAX_CARD_TITLE).join('').trim();
}

/** The page a thread is on, without its fragment: where a card written from it links back to. */
function threadUrl(href: string | undefined): string {
  const url = new URL(href ?? location.href, location.href);
  url.hash = '';
  return url.href;
}

/** What a draft card written from an accepted answer is made of. */
interface AnswerToCard {
  answer: Comment;
  question: Comment | undefined;
  subject: string;
  /** Where the thread is shown (its `href`), else the page. */
  href: string | undefined;
  community: string | undefined;
  /** The text of the card's link back to the discussion, in the reader's language. */
  linkText: string;
}

/** Creates a draft card from an accepted answer: the question's first line as title, the answer and a link back as body. */
function draftCard(connection: Connection, from: AnswerToCard): Promise<WrittenCard> {
  const link = `[${from.linkText}](${threadUrl(from.href)})`;
  const body = `${[...from.answer.body].slice(0, MAX_CARD_BODY - link.length - 2).join('')}\n\n${link}`;
  return draftCardFromAnswer(connection, {
    title: titleFrom(from.question?.body ?? '') || from.subject.slice(0, MAX_CARD_TITLE),
    summary: '',
    body,
    tags: [],
    sourceSubject: from.subject,
    sourceCommentId: from.answer.id,
    status: 'draft',
    ...(from.community ? { communityId: from.community } : {}),
  });
}

/** Everything a discussion can do besides reading, working on the thread stores `threads` gives access to. */
function commentActions(threads: ThreadInternals) {
  return { ...threadActions(threads), flagComment, searchPeople, draftCard };
}

/** Everything a discussion can do besides reading, loaded with `<guild-comment-tools>`. */
type CommentActions = ReturnType<typeof commentActions>;

let bound: { threads: ThreadInternals; actions: CommentActions } | undefined;

function actionsOn(threads: ThreadInternals): CommentActions {
  if (bound?.threads !== threads) bound = { threads, actions: commentActions(threads) };
  return bound.actions;
}

/**
 * The key of each comment being written, by connection, subject and target, until the server confirms it. One
 * intention, one key: sending the same words again after a failure reuses it, so a comment the server
 * did save before the failure is not saved twice (even when the form was closed and opened again).
 */
const postKeys = new Map<string, { key: string; body: string }>();

/**
 * The draft cards made from answers, by connection, subject and answer: an element shown again (the
 * list re-rendered) finds its draft instead of making a second one, unless it was deleted meanwhile.
 */
const cardDrafts = new Map<string, Promise<WrittenCard>>();

/**
 * What the tools show: a composer for a new comment, a reply or an edit; the flag form; the delete
 * confirmation; a draft card made from an accepted answer, to finish and publish.
 */
type CommentToolKind = 'new' | 'reply' | 'edit' | 'flag' | 'delete' | 'card';

/**
 * Tells the thread how an action went, with what to announce: `closed` (the form is done with: close
 * it), `done` (it stays: the composer for the next comment, the draft card), `failed` (the tools show
 * why and keep the text) or `cancel`. `posted` is the comment the server created.
 */
export class GuildCommentToolEvent extends Event {
  static readonly eventName = 'guild-comment-tool';
  constructor(
    readonly outcome: 'closed' | 'done' | 'failed' | 'cancel',
    readonly announcement: string | undefined,
    readonly posted?: Comment,
  ) {
    super(GuildCommentToolEvent.eventName);
  }
}

/**
 * The writing and acting part of `<guild-discussion-thread>`: the composer wired to the server (new
 * comments, replies, edits, with one idempotency key per intention), the flag form, the delete
 * confirmation, the draft card made from an accepted answer, and (as the static `actionsFor`) every
 * other write a discussion makes. Loaded on the reader's first pointer or focus in a thread, and at
 * the latest on the click that needs it, never up front. Internal: the thread renders it and passes
 * its `composer` and `card` parts on (`exportparts`).
 *
 * @summary Internal part of `<guild-discussion-thread>`: its forms and write actions, loaded when a reader first acts.
 *
 * @fires guild-comment-tool - An action ended; `outcome` says how (not composed: for the thread only).
 *
 * @csspart composer - The composer of a new comment, a reply or an edit.
 * @csspart card - The draft card made from an accepted answer.
 */
export class GuildCommentTools extends LitElement {
  // The thread's `--_*` design tokens inherit into this shadow root, so it needs no theme of its own.
  static override styles = [
    threadControlStyles,
    css`
    :host {
      display: block;
    }
    .confirm,
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.35em;
      margin-block-start: 0.4em;
    }
    form {
      display: grid;
      gap: 0.3em;
      margin-block-start: 0.4em;
    }
    textarea {
      min-block-size: 3em;
      border: 1px solid var(--_border);
      border-radius: 6px;
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
    }
    button:focus-visible,
    textarea:focus-visible {
      outline: 2px solid transparent;
      box-shadow: var(--_focus);
    }
    .primary {
      border-color: var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
    }
    .danger {
      border-color: var(--_danger);
      background: var(--_danger);
      color: var(--_on-accent);
    }
    .note {
      color: var(--_muted);
    }
    .card-draft {
      display: block;
      margin-block-start: 0.6em;
    }
  `,
  ];

  /** The form the error below belongs to (`kind:comment`): a reused element shows no other form's error. */
  #target = '';
  /** The focus was in here before an update replaced what held it (the card's status line by the card). */
  #hadFocus = false;

  @state() private error = '';
  @state() private card: WrittenCard | undefined;
  @state() private cardEditor: 'loading' | 'ready' | 'failed' = 'loading';

  /** Set by the thread. */
  @property({ attribute: false }) i18n: Translator | undefined;
  @property({ attribute: false }) connection: Connection | undefined;
  @property({ attribute: false }) threads: ThreadInternals | undefined;
  @property({ attribute: false }) subject = '';
  @property({ attribute: false }) kind: CommentToolKind = 'new';
  /** The comment replied to, edited, flagged or deleted. */
  @property({ attribute: false }) comment: Comment | undefined;
  /** A new thread's community and mode (only the first comment creates the thread); a draft card's community, when the thread has none. */
  @property({ attribute: false }) community: string | undefined;
  @property({ attribute: false }) mode: 'discussion' | 'question' | undefined;
  /** The thread's community, whose members `@mentions` offer. */
  @property({ attribute: false }) mentionCommunity: string | undefined;
  /** A new comment answers a question. */
  @property({ attribute: false }) question = false;
  /** The question an answer turned into a card answers (its first line is the card's title). */
  @property({ attribute: false }) source: Comment | undefined;
  /** Where the thread is shown, for the card's link back (default: the page). */
  @property({ attribute: false }) href: string | undefined;
  /** The thread's `api` attribute, handed on to the draft card. */
  @property({ attribute: false }) api: string | undefined;
  /** Where the composer keeps its draft on this device (the thread knows, to open a composer with a draft). */
  @property({ attribute: false }) draftId = '';

  /** The discussion's write actions, for the thread that loaded this element's code and hands over its stores. */
  static actionsFor(threads: ThreadInternals): CommentActions {
    return actionsOn(threads);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.kind === 'card' && !this.card) void this.#draftCard();
  }

  override willUpdate(): void {
    const target = `${this.kind}:${this.comment?.id ?? ''}`;
    if (target !== this.#target) {
      this.#target = target;
      this.error = '';
    }
    this.#hadFocus = !!this.shadowRoot?.activeElement;
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.#hadFocus && !this.shadowRoot?.activeElement) this.focus();
  }

  /**
   * Puts the focus in the text to write, on the reason to flag, on "Yes, delete", or on the draft card
   * (its status line while it is being made, "Try again" when that failed).
   */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('guild-comment-composer, textarea, button, [tabindex]')?.focus());
  }

  #t(key: keyof typeof commentToolsMessages | 'cancel' | 'retry'): string {
    return this.i18n?.t(key) ?? '';
  }

  #end(outcome: GuildCommentToolEvent['outcome'], announcement?: string, posted?: Comment): void {
    this.dispatchEvent(new GuildCommentToolEvent(outcome, announcement, posted));
  }

  readonly #cancel = (): void => this.#end('cancel');

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.#cancel();
  };

  /** Runs a request; a failure is shown here (a composer keeps its text) and announced by the thread. */
  async #run<T>(request: (actions: CommentActions, connection: Connection, id: string) => Promise<T>): Promise<{ value: T } | undefined> {
    const { i18n, connection, threads } = this;
    if (!i18n || !connection || !threads) return undefined;
    this.error = '';
    try {
      return { value: await request(actionsOn(threads), connection, this.comment?.id ?? '') };
    } catch (error) {
      this.error = i18n.t(this.kind === 'new' || this.kind === 'reply' ? 'postFailed' : 'actionFailed', i18n.reason(error));
      this.#end('failed', this.error);
      return undefined;
    }
  }

  async #send(event: GuildComposeEvent): Promise<void> {
    const { body, mentions } = event.value;
    if (this.kind === 'edit') {
      const saved = await this.#run((actions, connection, id) => actions.editComment(connection, this.subject, id, body, mentions));
      if (saved) this.#end('closed');
      event.done(!!saved);
      return;
    }
    const target = `${this.connection?.key ?? ''}\n${this.subject}\n${this.comment?.id ?? ''}`;
    const previous = postKeys.get(target);
    const key = previous?.body === body ? previous.key : crypto.randomUUID();
    postKeys.set(target, { key, body });
    const created = await this.#run((actions, connection, id) =>
      actions.postComment(connection, this.subject, { body, mentions, parentId: id || undefined, community: this.community, mode: this.mode }, key),
    );
    if (created) {
      postKeys.delete(target);
      this.#end(this.kind === 'new' ? 'done' : 'closed', this.i18n?.t('posted'), created.value);
    }
    event.done(!!created);
  }

  readonly #search = (prefix: string, signal: AbortSignal) =>
    this.connection ? searchPeople(this.connection, prefix, signal, this.mentionCommunity) : Promise.resolve([]);

  readonly #markdown = (source: string) => renderMarkdown(source, this.connection?.api ?? location.href);

  readonly #onCompose = (event: GuildComposeEvent): void => {
    event.stopPropagation();
    void this.#send(event);
  };

  async #confirm(request: (actions: CommentActions, connection: Connection, id: string) => Promise<unknown>, announcement?: string): Promise<void> {
    if (await this.#run(request)) this.#end('closed', announcement);
  }

  /** Makes the draft card (once per answer, again if it was deleted), then opens it in the card's editor. */
  async #draftCard(): Promise<void> {
    const { i18n, connection, comment: answer } = this;
    if (!i18n || !connection || !answer) return;
    const key = `${connection.key}\n${this.subject}\n${answer.id}`;
    const make = () => {
      const made = draftCard(connection, { answer, question: this.source, subject: this.subject, href: this.href, community: this.mentionCommunity ?? this.community, linkText: i18n.t('cardSourceLink') });
      cardDrafts.set(key, made);
      made.catch(() => cardDrafts.delete(key));
      return made;
    };
    const remembered = cardDrafts.get(key);
    // A draft remembered from an earlier view may have been deleted since (on its own page, in another tab).
    const pending = remembered ? remembered.then(async (card) => ((await cardStillThere(connection, card.id)) ? card : make())) : make();
    this.card = undefined;
    this.cardEditor = 'loading';
    const made = await this.#run(() => pending);
    if (!made) return;
    this.card = made.value;
    this.#end('done', i18n.t('cardDrafted'));
    this.cardEditor = (await tagReady('guild-knowledge-card')) ? 'ready' : 'failed';
  }

  #renderCard(connection: Connection): TemplateResult {
    const card = this.card;
    if (this.error)
      return html`<p class="error" role="alert">${this.error}</p>
        <button type="button" @click=${() => void this.#draftCard()}>${this.#t('retry')}</button>`;
    // Focusable, so the focus has somewhere to be once "Turn into a card" (which it was on) is gone.
    if (card && this.cardEditor === 'ready')
      return html`<guild-knowledge-card class="card-draft" part="card" tabindex="-1" card=${card.id} edit api=${this.api ?? nothing}></guild-knowledge-card>`;
    const url = card && this.cardEditor === 'failed' ? safeUrl(card.url, connection.api) : undefined;
    if (url) return html`<p class="note"><a href=${url}>${this.#t('cardOpenDraft')}</a></p>`;
    return html`<p class="note" role="status" tabindex="-1">${this.#t('cardDrafting')}</p>`;
  }

  readonly #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const reason = this.renderRoot.querySelector('textarea')?.value.trim() ?? '';
    if (reason) void this.#confirm((actions, connection, id) => actions.flagComment(connection, id, reason), this.#t('flagged'));
  };

  #renderComposer(): TemplateResult {
    const { i18n, kind, comment } = this;
    const name = comment?.author?.name ?? i18n?.t('someone') ?? '';
    const label = kind === 'edit' ? i18n?.t('editLabel') : kind === 'reply' ? i18n?.t('replyLabel', name) : i18n?.t('commentLabel');
    const submit = kind === 'edit' ? i18n?.t('save') : kind === 'reply' ? i18n?.t('postReply') : this.question ? i18n?.t('postAnswer') : i18n?.t('post');
    return html`<guild-comment-composer
      class=${kind === 'new' ? 'top' : ''}
      part="composer"
      data-editing=${comment?.id ?? nothing}
      .search=${this.#search}
      .markdown=${this.#markdown}
      .i18n=${i18n}
      .draftId=${this.draftId}
      .initial=${kind === 'edit' ? (comment?.body ?? '') : ''}
      .label=${label ?? ''}
      .submitLabel=${submit ?? ''}
      .cancellable=${kind !== 'new'}
      .error=${this.error}
      @guild-compose=${this.#onCompose}
      @guild-compose-cancel=${this.#cancel}
    ></guild-comment-composer>`;
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.connection) return nothing;
    if (this.kind === 'card') return this.#renderCard(this.connection);
    const error = this.error && this.kind !== 'new' && this.kind !== 'reply' && this.kind !== 'edit' ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
    if (this.kind === 'delete')
      return html`<div class="confirm" role="group" aria-label=${this.#t('confirmDelete')} @keydown=${this.#onKeyDown}>
          <span>${this.#t('confirmDelete')}</span>
          <button type="button" class="danger" @click=${() => void this.#confirm((actions, connection, id) => actions.deleteComment(connection, this.subject, id))}>
            ${this.#t('confirmDeleteYes')}
          </button>
          <button type="button" @click=${this.#cancel}>${this.#t('keep')}</button>
        </div>
        ${error}`;
    if (this.kind === 'flag')
      return html`<form @submit=${this.#onSubmit} @keydown=${this.#onKeyDown}>
          <label for="reason">${this.#t('flagLabel')}</label>
          <textarea id="reason" name="reason" required maxlength="1000"></textarea>
          <div class="row">
            <button type="button" @click=${this.#cancel}>${this.#t('cancel')}</button>
            <button type="submit" class="primary">${this.#t('flagSend')}</button>
          </div>
        </form>
        ${error}`;
    return this.#renderComposer();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-comment-tools': GuildCommentTools;
  }
}
