import { css, html, LitElement, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { Connection } from '../../api/client.js';
import { addMessages, type Translator } from '../../internal/i18n.js';
import { draftCardFromAnswer, flagComment, searchPeople, threadActions } from '../../stores/discussion-actions.js';
import type { Comment, ThreadInternals, WrittenCard } from '../../stores/discussions.js';
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
export interface AnswerToCard {
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
export type CommentActions = ReturnType<typeof commentActions>;

/** Which form the tools show: the flag form or the delete confirmation. */
export type CommentToolKind = 'flag' | 'delete';

/** Fired when the person confirms: a deletion, or a flag with its `reason`. */
export class GuildCommentToolEvent extends Event {
  static readonly eventName = 'guild-comment-tool';
  constructor(
    readonly kind: CommentToolKind,
    readonly reason: string,
  ) {
    super(GuildCommentToolEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * The action code of `<guild-discussion-thread>`: the flag form and the delete confirmation it shows
 * under a comment, and (as `actions`) every write a discussion makes. Loaded on the reader's first
 * pointer or focus in a thread, and at the latest on the click that needs it, never up front.
 * Internal: the thread renders it.
 *
 * @fires guild-comment-tool - The person confirmed; `kind` and `reason` say what.
 * @fires guild-comment-tool-cancel - The person kept the comment or closed the form (Escape).
 */
export class GuildCommentTools extends LitElement {
  // The thread's `--_*` design tokens inherit into this shadow root, so it needs no theme of its own.
  static override styles = css`
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
    button {
      min-block-size: 2em;
      padding-inline: 0.7em;
      border: 1px solid var(--_border);
      border-radius: 6px;
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
      font-size: 0.9em;
      cursor: pointer;
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
  `;

  /** Set by the thread. */
  @property({ attribute: false }) i18n: Translator | undefined;
  @property({ attribute: false }) kind: CommentToolKind = 'flag';

  /** The discussion's write actions, for the thread that loaded this element's code and hands over its stores. */
  actionsFor(threads: ThreadInternals): CommentActions {
    return commentActions(threads);
  }

  /** Puts the focus on the form's first control: the reason to flag, or "Yes, delete". */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('textarea, button')?.focus());
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.#cancel();
  };

  readonly #onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const reason = this.renderRoot.querySelector('textarea')?.value.trim() ?? '';
    if (reason) this.dispatchEvent(new GuildCommentToolEvent('flag', reason));
  };

  #cancel(): void {
    this.dispatchEvent(new Event('guild-comment-tool-cancel', { bubbles: true, composed: true }));
  }

  #t(key: keyof typeof commentToolsMessages | 'cancel'): string {
    return this.i18n?.t(key) ?? '';
  }

  override render(): TemplateResult {
    if (this.kind === 'delete')
      return html`<div class="confirm" role="group" aria-label=${this.#t('confirmDelete')} @keydown=${this.#onKeyDown}>
        <span>${this.#t('confirmDelete')}</span>
        <button type="button" class="danger" @click=${() => this.dispatchEvent(new GuildCommentToolEvent('delete', ''))}>${this.#t('confirmDeleteYes')}</button>
        <button type="button" @click=${() => this.#cancel()}>${this.#t('keep')}</button>
      </div>`;
    return html`<form @submit=${this.#onSubmit} @keydown=${this.#onKeyDown}>
      <label for="reason">${this.#t('flagLabel')}</label>
      <textarea id="reason" name="reason" required maxlength="1000"></textarea>
      <div class="row">
        <button type="button" @click=${() => this.#cancel()}>${this.#t('cancel')}</button>
        <button type="submit" class="primary">${this.#t('flagSend')}</button>
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-comment-tools': GuildCommentTools;
  }
  interface HTMLElementEventMap {
    'guild-comment-tool': GuildCommentToolEvent;
  }
}
