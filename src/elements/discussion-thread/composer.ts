import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Translator } from '../../internal/i18n.js';
import { nestedStyles } from '../../internal/theme.js';
import { openDraft, type Draft, type DraftState } from '../../stores/drafts.js';
import type { Person } from '../../stores/discussions.js';

/** Finds people to mention by the start of their name. */
export type PeopleSearch = (prefix: string, signal: AbortSignal) => Promise<Person[]>;
/** Renders markdown for the preview (the thread's own renderer, so preview and comment match). */
export type MarkdownRenderer = (source: string) => TemplateResult;

/** What the composer hands its thread when the person sends. */
export interface ComposerSubmit {
  body: string;
  mentions: string[];
}

/**
 * Fired with the text to send; `<guild-comment-tools>`, which sends it, calls `done(true)` once the
 * server confirmed it (the draft is dropped, the box emptied) or `done(false)` when it did not (the text stays).
 */
export class GuildComposeEvent extends Event {
  static readonly eventName = 'guild-compose';
  constructor(
    readonly value: ComposerSubmit,
    readonly done: (ok: boolean) => void,
  ) {
    super(GuildComposeEvent.eventName, { bubbles: true, composed: true });
  }
}

const MENTION = /(^|\s)@([\p{L}\p{N}._-]{1,40})$/u;

/**
 * The comment composer of `<guild-discussion-thread>`: markdown with a preview, `@mentions` with
 * keyboard completion, and a draft kept locally until the server confirms. Loaded the first time
 * someone writes, never up front. Internal: `<guild-comment-tools>` renders it for the thread.
 */
export class GuildCommentComposer extends LitElement {
  static override styles = [
    nestedStyles,
    css`
      :host {
        display: block;
      }
      .tabs {
        display: flex;
        gap: 0.25em;
        margin-block-end: 0.25em;
      }
      .tabs button[aria-selected='true'] {
        border-color: var(--_accent);
        font-weight: 600;
      }
      textarea {
        box-sizing: border-box;
        inline-size: 100%;
        min-block-size: 5.5em;
        padding: 0.5em 0.6em;
        border: 1px solid var(--_border);
        border-radius: 8px;
        background: var(--_surface);
        color: var(--_text);
        font: inherit;
        resize: vertical;
      }
      textarea:focus-visible,
      button:focus-visible {
        outline: 2px solid transparent;
        box-shadow: var(--_focus);
      }
      .preview {
        min-block-size: 5.5em;
        padding: 0.1em 0.6em;
        border: 1px dashed var(--_border);
        border-radius: 8px;
        overflow-wrap: anywhere;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5em;
        margin-block-start: 0.4em;
      }
      .grow {
        flex: 1;
      }
      .note {
        color: var(--_muted);
        font-size: var(--_small);
      }
      .error {
        color: var(--_danger);
        font-size: var(--_small);
      }
      button {
        min-block-size: 2.2em;
        padding-inline: 0.8em;
        border: 1px solid var(--_border);
        border-radius: 6px;
        background: var(--_surface);
        color: var(--_text);
        font: inherit;
        cursor: pointer;
      }
      button.primary {
        border-color: var(--_accent);
        background: var(--_accent);
        color: var(--_on-accent);
      }
      button[aria-disabled='true'] {
        cursor: not-allowed;
        opacity: 0.7;
      }
      .anchor {
        position: relative;
      }
      [role='listbox'] {
        position: absolute;
        z-index: 2;
        inset-inline-start: 0;
        margin: 0;
        padding: 0.25em;
        min-inline-size: 14em;
        list-style: none;
        border: 1px solid var(--_border);
        border-radius: 8px;
        background: var(--_surface);
        box-shadow: 0 4px 16px rgb(0 0 0 / 15%);
      }
      [role='option'] {
        padding: 0.3em 0.5em;
        border-radius: 4px;
        cursor: pointer;
      }
      [role='option'][aria-selected='true'] {
        background: var(--_accent);
        color: var(--_on-accent);
      }
      pre {
        overflow-x: auto;
      }
    `,
  ];

  /** Set by the thread. */
  @property({ attribute: false }) search: PeopleSearch | undefined;
  @property({ attribute: false }) markdown: MarkdownRenderer | undefined;
  @property({ attribute: false }) i18n: Translator | undefined;
  /** What the draft is for, e.g. `comment:course-101/week-1:reply-to:42`. */
  @property({ attribute: false }) draftId = '';
  /** Starting text (editing); a stored draft wins. */
  @property({ attribute: false }) initial = '';
  @property({ attribute: false }) label = '';
  @property({ attribute: false }) submitLabel = '';
  @property({ attribute: false }) cancellable = false;
  /** The last attempt failed: why, shown under the text (which is kept). */
  @property({ attribute: false }) error = '';

  @state() private text = '';
  @state() private previewing = false;
  @state() private sending = false;
  @state() private draftState: DraftState | undefined;
  @state() private suggestions: Person[] = [];
  @state() private active = 0;
  @state() private tooLong = false;

  // A getter, not Lit's @query: that decorator's module made the bundler split Lit into a third chunk.
  private get textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  #draft: Draft | undefined;
  #stopDraft: (() => void) | undefined;
  #mentions = new Map<string, string>();
  #search: AbortController | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('draftId') && this.draftId) this.#openDraft();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#closeDraft();
    this.#search?.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.draftId && !this.#draft) this.#openDraft();
  }

  #openDraft(): void {
    this.#closeDraft();
    const draft = openDraft(this.draftId);
    this.#draft = draft;
    const stored = draft.$state.get().text;
    this.text = stored || this.initial;
    this.#stopDraft = draft.$state.subscribe((value) => {
      this.draftState = value;
    });
  }

  #closeDraft(): void {
    this.#stopDraft?.();
    this.#stopDraft = undefined;
    this.#draft?.close();
    this.#draft = undefined;
  }

  /** Puts the caret in the text box. */
  override focus(): void {
    void this.updateComplete.then(() => this.textarea?.focus());
  }

  /** The composer's strings take no arguments. */
  #t(key: 'write' | 'preview' | 'nothingToPreview' | 'markdownHelp' | 'tooLong' | 'draftSaved' | 'draftNotSaved' | 'mentionSuggestions' | 'cancel' | 'sending'): string {
    return this.i18n?.t(key) ?? '';
  }

  readonly #onInput = (event: InputEvent): void => {
    const area = event.target as HTMLTextAreaElement;
    this.text = area.value;
    this.tooLong = this.text.length > 20_000;
    this.#draft?.update(this.text);
    this.#lookForMention(area);
  };

  #lookForMention(area: HTMLTextAreaElement): void {
    const before = area.value.slice(0, area.selectionStart);
    const match = MENTION.exec(before);
    this.#search?.abort();
    if (!match?.[2] || !this.search) {
      this.suggestions = [];
      return;
    }
    const controller = new AbortController();
    this.#search = controller;
    const prefix = match[2];
    // A short pause so each keystroke does not become a request.
    setTimeout(() => {
      if (controller.signal.aborted || !this.search) return;
      this.search(prefix, controller.signal).then(
        (people) => {
          if (controller.signal.aborted) return;
          this.suggestions = people;
          this.active = 0;
        },
        () => {
          if (!controller.signal.aborted) this.suggestions = [];
        },
      );
    }, 150);
  }

  #choose(person: Person): void {
    const area = this.textarea;
    if (!area) return;
    const caret = area.selectionStart;
    const before = area.value.slice(0, caret).replace(MENTION, (_all, space: string) => `${space}@${person.name} `);
    const after = area.value.slice(caret);
    this.text = before + after;
    area.value = this.text;
    area.setSelectionRange(before.length, before.length);
    this.#mentions.set(person.name, person.id);
    this.#draft?.update(this.text);
    this.suggestions = [];
    area.focus();
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (this.suggestions.length) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.active = (this.active + step + this.suggestions.length) % this.suggestions.length;
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const person = this.suggestions[this.active];
        if (person) {
          event.preventDefault();
          this.#choose(person);
          return;
        }
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.suggestions = [];
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.#submit();
    } else if (event.key === 'Escape' && this.cancellable) {
      event.preventDefault();
      this.#cancel();
    }
  };

  #mentionIds(): string[] {
    return [...this.#mentions].filter(([name]) => this.text.includes(`@${name}`)).map(([, id]) => id);
  }

  readonly #submit = (): void => {
    const body = this.text.trim();
    if (!body || this.sending || this.tooLong) {
      if (!body) this.textarea?.focus();
      return;
    }
    this.sending = true;
    this.#draft?.flush();
    this.dispatchEvent(
      new GuildComposeEvent({ body, mentions: this.#mentionIds() }, (ok) => {
        this.sending = false;
        if (!ok) return;
        // Only now, with the server's confirmation, is the draft forgotten.
        this.#draft?.clear();
        this.text = '';
        this.previewing = false;
        this.#mentions.clear();
      }),
    );
  };

  readonly #cancel = (): void => {
    this.#draft?.clear();
    this.dispatchEvent(new Event('guild-compose-cancel', { bubbles: true, composed: true }));
  };

  #renderSuggestions(): TemplateResult | typeof nothing {
    if (!this.suggestions.length) return nothing;
    return html`<ul id="mentions" role="listbox" aria-label=${this.#t('mentionSuggestions')}>
      ${this.suggestions.map(
        (person, index) =>
          html`<li
            id=${`mention-${index}`}
            role="option"
            aria-selected=${index === this.active ? 'true' : 'false'}
            @mousedown=${(event: Event) => {
              event.preventDefault();
              this.#choose(person);
            }}
          >
            ${person.name}
          </li>`,
      )}
    </ul>`;
  }

  override render(): TemplateResult {
    const saved = this.draftState?.warning === 'not-saved' ? this.#t('draftNotSaved') : this.draftState?.savedAt && this.text ? this.#t('draftSaved') : '';
    const disabled = this.sending || !this.text.trim() || this.tooLong;
    return html`<div part="base" class="base">
      <div class="tabs" role="tablist" aria-label=${this.label}>
        <button type="button" role="tab" aria-selected=${this.previewing ? 'false' : 'true'} @click=${() => (this.previewing = false)}>${this.#t('write')}</button>
        <button type="button" role="tab" aria-selected=${this.previewing ? 'true' : 'false'} @click=${() => (this.previewing = true)}>${this.#t('preview')}</button>
      </div>
      ${this.previewing
        ? html`<div class="preview" role="tabpanel" aria-label=${this.#t('preview')}>
            ${this.text.trim() && this.markdown ? this.markdown(this.text) : html`<p class="note">${this.#t('nothingToPreview')}</p>`}
          </div>`
        : html`<div class="anchor">
            <textarea
              part="textarea"
              aria-label=${this.label}
              aria-describedby="help"
              aria-invalid=${this.tooLong || this.error ? 'true' : 'false'}
              aria-autocomplete="list"
              aria-controls=${this.suggestions.length ? 'mentions' : nothing}
              aria-activedescendant=${this.suggestions.length ? `mention-${this.active}` : nothing}
              .value=${this.text}
              @input=${this.#onInput}
              @keydown=${this.#onKeyDown}
              @blur=${() => (this.suggestions = [])}
            ></textarea>
            ${this.#renderSuggestions()}
          </div>`}
      <div class="row">
        <span id="help" class="note grow">${this.tooLong ? html`<span class="error">${this.#t('tooLong')}</span>` : this.#t('markdownHelp')} ${saved}</span>
        ${this.cancellable ? html`<button type="button" @click=${this.#cancel}>${this.#t('cancel')}</button>` : nothing}
        <button type="button" class="primary" part="submit" aria-disabled=${disabled ? 'true' : 'false'} aria-busy=${this.sending ? 'true' : 'false'} @click=${this.#submit}>
          ${this.sending ? this.#t('sending') : this.submitLabel}
        </button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </div>`;
  }
}

if (!customElements.get('guild-comment-composer')) customElements.define('guild-comment-composer', GuildCommentComposer);

declare global {
  interface HTMLElementTagNameMap {
    'guild-comment-composer': GuildCommentComposer;
  }
}
