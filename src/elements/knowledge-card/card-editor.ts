import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Connection } from '../../api/client.js';
import { errorFromException } from '../../api/errors.js';
import { addMessages, type Translator } from '../../internal/i18n.js';
import { nestedStyles } from '../../internal/theme.js';
import { createCard, latestCard, updateCard } from '../../stores/card-edits.js';
import type { Card, CardPublisher, CardUpdate } from '../../stores/cards.js';
import { openDraft, type Draft, type DraftState } from '../../stores/drafts.js';
import { cardEditorMessages } from './editor-messages.js';

addMessages(cardEditorMessages, {});

/** Renders markdown for the preview (the card's own renderer, so preview and card match). */
export type MarkdownRenderer = (source: string) => TemplateResult;

/** What a card says, as the editor edits it. */
interface CardFields {
  title: string;
  summary: string;
  body: string;
  tags: string[];
}

/** Another version saved while the person was editing: who, which, and what it says. */
interface CardConflict {
  version: number;
  editor: string;
  latest: CardFields;
}

/** Fired on the editor once the server confirmed the save; `message` is what the card announces. Neither bubbles nor composed. */
export class GuildCardEditorSavedEvent extends Event {
  static readonly eventName = 'guild-card-editor-saved';
  constructor(
    readonly card: Card,
    /** `created` (a new card, draft or published), `published` (a draft made public) or `edited`. */
    readonly action: 'created' | 'published' | 'edited',
    readonly message: string,
  ) {
    super(GuildCardEditorSavedEvent.eventName);
  }
}

/** Fired on the editor when a save failed (the editor shows why, the text is kept); the card announces `message`. Neither bubbles nor composed. */
export class GuildCardEditorFailedEvent extends Event {
  static readonly eventName = 'guild-card-editor-failed';
  constructor(readonly message: string) {
    super(GuildCardEditorFailedEvent.eventName);
  }
}

/** Fired on the editor when the writer cancels editing (the local copy is dropped). Neither bubbles nor composed. */
export class GuildCardEditorCancelEvent extends Event {
  static readonly eventName = 'guild-card-editor-cancel';
  constructor() {
    super(GuildCardEditorCancelEvent.eventName);
  }
}

function fieldsOf(card: Pick<Card, 'title' | 'summary' | 'body' | 'tags'>): CardFields {
  return { title: card.title, summary: card.summary, body: card.body, tags: [...card.tags] };
}

/** The contract's limits (CardInput). */
const MAX_TITLE = 200;
const MAX_SUMMARY = 500;
const MAX_BODY = 20_000;
const MAX_TAGS = 20;
/** The contract's `Tag` pattern and length. */
const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;

interface Stored extends CardFields {
  baseVersion: number | undefined;
}

function parseStored(text: string): Stored | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const field = (name: string) => (name in value && typeof (value as Record<string, unknown>)[name] === 'string' ? String((value as Record<string, unknown>)[name]) : '');
    const tags = 'tags' in value && Array.isArray(value.tags) ? value.tags.filter((tag): tag is string => typeof tag === 'string') : [];
    const base = 'baseVersion' in value && typeof value.baseVersion === 'number' ? value.baseVersion : undefined;
    return { title: field('title'), summary: field('summary'), body: field('body'), tags, baseVersion: base };
  } catch {
    return undefined;
  }
}

/** The tags as typed: comma-separated, trimmed, lowercased (a tag is lowercase by contract). */
export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);
}

type Field = 'title' | 'summary' | 'body' | 'tags';

/**
 * The editor of `<guild-knowledge-card>`: title, summary, markdown body with a preview, and tags,
 * kept locally as the person types until the server confirms the save, which the editor sends
 * itself. A save the server refuses because someone saved another version meanwhile keeps the text
 * and offers the latest version and saving on top of it. Loaded the first time someone writes, never
 * up front. Internal: only the card renders it, setting its properties; its events neither bubble
 * nor cross the card's shadow root.
 *
 * @tag guild-card-editor
 * @summary Internal to `<guild-knowledge-card>`: writes a new card or edits one, kept locally until the server confirms the save.
 *
 * @fires {GuildCardEditorSavedEvent} guild-card-editor-saved - The server confirmed the save; `card` is it, `action` is `created`, `published` or `edited`, `message` what the card announces.
 * @fires {GuildCardEditorFailedEvent} guild-card-editor-failed - A save failed (the editor shows why and keeps the text); `message` is what the card announces.
 * @fires {GuildCardEditorCancelEvent} guild-card-editor-cancel - The writer cancelled editing an existing card.
 *
 * @csspart base - The form.
 * @csspart conflict - Another version saved meanwhile, with the ways out.
 * @csspart overwrite - Saving on top of the other version.
 * @csspart preview-toggle - The preview button.
 * @csspart preview - The body's preview.
 * @csspart body - The body's field.
 */
export class GuildCardEditor extends LitElement {
  static override styles = [
    nestedStyles,
    css`
      :host {
        display: block;
      }
      h3 {
        margin: 0 0 0.5em;
        font-size: var(--_large);
      }
      .field {
        display: grid;
        gap: 0.25em;
        margin-block-end: 0.75em;
      }
      label {
        font-weight: 600;
      }
      input,
      textarea {
        box-sizing: border-box;
        inline-size: 100%;
        padding: 0.45em 0.6em;
        border: 1px solid var(--_border);
        border-radius: 8px;
        background: var(--_surface);
        color: var(--_text);
        font: inherit;
      }
      textarea {
        min-block-size: 10em;
        resize: vertical;
      }
      textarea.summary {
        min-block-size: 3.5em;
      }
      input:focus-visible,
      textarea:focus-visible,
      button:focus-visible {
        outline: 2px solid transparent;
        box-shadow: var(--_focus);
      }
      [aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .preview {
        min-block-size: 10em;
        padding: 0.1em 0.75em;
        border: 1px dashed var(--_border);
        border-radius: 8px;
        overflow-wrap: anywhere;
      }
      .latest {
        margin-block: 0.5em;
        padding: 0.25em 0.75em;
        border-inline-start: 3px solid var(--_accent);
        overflow-wrap: anywhere;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5em;
      }
      .grow {
        flex: 1;
      }
      .note {
        margin: 0;
        color: var(--_muted);
        font-size: var(--_small);
      }
      .error {
        margin: 0;
        color: var(--_danger);
        font-size: var(--_small);
      }
      .conflict {
        margin-block: 0.5em;
        padding: 0.5em 0.75em;
        border: 1px solid var(--_danger);
        border-radius: 8px;
      }
      .conflict p {
        margin: 0 0 0.5em;
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
      button[aria-pressed='true'] {
        border-color: var(--_accent);
        font-weight: 600;
      }
      button[aria-disabled='true'] {
        cursor: not-allowed;
        opacity: 0.7;
      }
      pre {
        overflow-x: auto;
      }
    `,
  ];

  /** Set by the card. */
  @property({ attribute: false }) i18n: Translator | undefined;
  @property({ attribute: false }) markdown: MarkdownRenderer | undefined;
  @property({ attribute: false }) connection: Connection | undefined;
  /** Hands a card the server confirmed to the card's stores. */
  @property({ attribute: false }) publishCard: CardPublisher | undefined;
  /** The card as saved (editing; a local copy wins), or `undefined` for a new card. */
  @property({ attribute: false }) card: Card | undefined;
  /** The community a new card belongs to. */
  @property({ attribute: false }) community: string | undefined;

  @state() private titleText = '';
  @state() private summary = '';
  @state() private body = '';
  @state() private tagText = '';
  @state() private base: number | undefined;
  @state() private previewing = false;
  @state() private sending = false;
  @state() private showLatest = false;
  @state() private draftState: DraftState | undefined;
  @state() private invalid: Partial<Record<Field, string>> = {};
  /** The last save failed: why (the text is kept). */
  @state() private error = '';
  /** The last save was refused: someone saved another version meanwhile. */
  @state() private conflict: CardConflict | undefined;

  #draft: Draft | undefined;
  #draftId = '';
  #stopDraft: (() => void) | undefined;
  #lastPublish = false;
  /** The key of the card being created, kept until the server confirms it (a retry never makes two). */
  #createKey: { key: string; body: string } | undefined;

  /** What the local copy is for, e.g. `card:42` or `card:new:general`. */
  get #wantedDraftId(): string {
    return this.card ? `card:${this.card.id}` : `card:new:${this.community ?? ''}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#draft) this.#openDraft();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#closeDraft();
  }

  override willUpdate(): void {
    if (this.isConnected && this.#draftId !== this.#wantedDraftId) this.#openDraft();
  }

  #openDraft(): void {
    this.#closeDraft();
    this.#draftId = this.#wantedDraftId;
    const draft = openDraft(this.#draftId);
    this.#draft = draft;
    const stored = parseStored(draft.$state.get().text);
    const from = stored ?? (this.card ? fieldsOf(this.card) : { title: '', summary: '', body: '', tags: [] });
    this.titleText = from.title;
    this.summary = from.summary;
    this.body = from.body;
    this.tagText = from.tags.join(', ');
    // A local copy remembers the version it was written on: saving it later is checked against that.
    this.base = stored ? stored.baseVersion : this.card?.version;
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

  /** Puts the caret in the first field. */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#title')?.focus());
  }

  #fields(): CardFields {
    return { title: this.titleText.trim(), summary: this.summary.trim(), body: this.body, tags: splitTags(this.tagText) };
  }

  #store(): void {
    const stored: Stored = { title: this.titleText, summary: this.summary, body: this.body, tags: splitTags(this.tagText), baseVersion: this.base };
    this.#draft?.update(JSON.stringify(stored));
  }

  readonly #onInput = (event: InputEvent): void => {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement;
    const name = target.name as Field;
    if (name === 'title') this.titleText = target.value;
    else if (name === 'summary') this.summary = target.value;
    else if (name === 'body') this.body = target.value;
    else if (name === 'tags') this.tagText = target.value;
    if (this.invalid[name]) {
      const invalid = { ...this.invalid };
      delete invalid[name];
      this.invalid = invalid;
    }
    this.#store();
  };

  #t(key: Parameters<Translator['t']>[0]): string {
    return this.i18n?.t(key) ?? '';
  }

  #validate(fields: CardFields): Partial<Record<Field, string>> {
    const i18n = this.i18n;
    if (!i18n) return {};
    const invalid: Partial<Record<Field, string>> = {};
    if (!fields.title) invalid.title = i18n.t('editorTitleMissing');
    else if (fields.title.length > MAX_TITLE) invalid.title = i18n.t('editorTooLong', MAX_TITLE);
    if (fields.summary.length > MAX_SUMMARY) invalid.summary = i18n.t('editorTooLong', MAX_SUMMARY);
    if (!fields.body.trim()) invalid.body = i18n.t('editorBodyMissing');
    else if (fields.body.length > MAX_BODY) invalid.body = i18n.t('editorTooLong', MAX_BODY);
    const bad = fields.tags.find((tag) => !TAG.test(tag));
    if (bad !== undefined) invalid.tags = i18n.t('editorBadTag', bad);
    else if (fields.tags.length > MAX_TAGS) invalid.tags = i18n.t('editorTooManyTags', MAX_TAGS);
    return invalid;
  }

  #save(publish: boolean): void {
    if (this.sending) return;
    const fields = this.#fields();
    const invalid = this.#validate(fields);
    this.invalid = invalid;
    const first = (['title', 'summary', 'body', 'tags'] as const).find((name) => invalid[name]);
    if (first) {
      if (first === 'body') this.previewing = false;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[name="${first}"]`)?.focus());
      return;
    }
    this.#lastPublish = publish;
    this.sending = true;
    this.#draft?.flush();
    void this.#send({ ...fields, tags: [...new Set(fields.tags)] }, publish, this.base);
  }

  async #send(fields: CardFields, publish: boolean, baseVersion: number | undefined): Promise<void> {
    const { i18n, connection, publishCard, card } = this;
    this.error = '';
    if (!i18n) {
      this.sending = false;
      return;
    }
    if (!connection || !publishCard) {
      // Rendered outside its card: nothing to save with. Say so rather than do nothing.
      this.sending = false;
      this.#failed(i18n.t('editorNotConnected'));
      return;
    }
    try {
      let saved: Card;
      let action: GuildCardEditorSavedEvent['action'];
      let message: string;
      if (!card) {
        // One intention, one key: sending the same card again after a failure reuses it.
        const body = JSON.stringify([fields, publish]);
        const key = this.#createKey?.body === body ? this.#createKey.key : crypto.randomUUID();
        this.#createKey = { key, body };
        const community = this.community;
        saved = await createCard(connection, publishCard, { ...fields, status: publish ? 'published' : 'draft', ...(community ? { communityId: community } : {}) }, key);
        this.#createKey = undefined;
        action = 'created';
        message = publish ? i18n.t('cardPublishedDone') : i18n.t('cardDraftSavedDone');
      } else {
        const update: CardUpdate = {
          baseVersion: baseVersion ?? card.version,
          title: fields.title,
          summary: fields.summary,
          body: fields.body,
          tags: fields.tags,
          ...(publish && card.status === 'draft' ? { status: 'published' as const } : {}),
        };
        saved = await updateCard(connection, publishCard, card.id, update);
        const published = card.status === 'draft' && saved.status === 'published';
        action = published ? 'published' : 'edited';
        message = published ? i18n.t('cardPublishedDone') : saved.status === 'draft' ? i18n.t('cardDraftSavedDone') : i18n.t('cardSavedVersion', saved.version);
      }
      this.sending = false;
      // Only now, with the server's confirmation, is the local copy forgotten.
      this.#draft?.clear();
      this.conflict = undefined;
      // Built apart: the manifest's analyzer reads a bare first argument of `dispatchEvent(new …)` as an event name.
      const event = new GuildCardEditorSavedEvent(saved, action, message);
      this.dispatchEvent(event);
    } catch (thrown) {
      this.sending = false;
      const error = errorFromException(thrown);
      if (card && error.status === 409) {
        await this.#showConflict(card.id, baseVersion);
        return;
      }
      this.#failed(i18n.t('cardSaveFailed', i18n.reason(error)));
    }
  }

  #failed(message: string): void {
    this.error = message;
    this.dispatchEvent(new GuildCardEditorFailedEvent(this.error));
  }

  /** Someone saved another version meanwhile: say who and which, keep the text, offer theirs and saving on top. */
  async #showConflict(id: string, baseVersion: number | undefined): Promise<void> {
    const { i18n, connection, publishCard } = this;
    if (!i18n || !connection || !publishCard) return;
    try {
      const latest = await latestCard(connection, publishCard, id);
      this.conflict = { version: latest.version, editor: latest.lastEditor?.name ?? latest.author.name, latest: fieldsOf(latest) };
      this.showLatest = false;
    } catch (thrown) {
      this.conflict = undefined;
      this.#failed(i18n.t('cardSaveFailed', i18n.reason(thrown)));
      return;
    }
    if (this.conflict.version === baseVersion) {
      // Refused for another reason (the same save still in flight): say what the server said.
      this.conflict = undefined;
      this.error = i18n.t('cardSaveFailed', i18n.t('errorServer'));
    }
  }

  /** Saves the person's text as the next version after the one someone else saved. */
  #overwrite(): void {
    if (!this.conflict) return;
    this.base = this.conflict.version;
    this.#store();
    this.#save(this.#lastPublish);
  }

  readonly #cancel = (): void => {
    this.#draft?.clear();
    this.dispatchEvent(new GuildCardEditorCancelEvent());
  };

  #describedBy(name: Field, help?: string): string {
    return [help, this.invalid[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
  }

  #renderError(name: Field): TemplateResult | typeof nothing {
    const message = this.invalid[name];
    return message ? html`<p class="error" id=${`${name}-error`}>${message}</p>` : nothing;
  }

  #renderConflict(conflict: CardConflict): TemplateResult {
    const i18n = this.i18n;
    const latest = conflict.latest;
    return html`<div class="conflict" part="conflict">
      <p role="alert">${i18n?.t('cardConflict', conflict.editor, conflict.version)}</p>
      <div class="row">
        <button type="button" aria-expanded=${this.showLatest ? 'true' : 'false'} aria-controls="latest" @click=${() => (this.showLatest = !this.showLatest)}>
          ${this.showLatest ? this.#t('editorHideLatest') : this.#t('editorSeeLatest')}
        </button>
        <button type="button" class="primary" part="overwrite" @click=${() => this.#overwrite()}>${i18n?.t('editorOverwrite', conflict.version)}</button>
      </div>
      <section id="latest" class="latest" aria-label=${i18n?.t('editorLatestHeading', conflict.version) ?? ''} ?hidden=${!this.showLatest}>
        <h4>${latest.title}</h4>
        ${latest.summary ? html`<p>${latest.summary}</p>` : nothing} ${this.showLatest && this.markdown ? this.markdown(latest.body) : nothing}
        ${latest.tags.length ? html`<p class="note">${latest.tags.join(', ')}</p>` : nothing}
      </section>
    </div>`;
  }

  override render(): TemplateResult {
    const saved = this.draftState?.warning === 'not-saved' ? this.#t('editorDraftNotKept') : this.draftState?.savedAt ? this.#t('editorDraftKept') : '';
    const busy = this.sending ? 'true' : 'false';
    const submit = (publish: boolean, label: string, primary: boolean) =>
      html`<button type="button" class=${primary ? 'primary' : ''} aria-disabled=${busy} aria-busy=${busy} @click=${() => this.#save(publish)}>
        ${this.sending && this.#lastPublish === publish ? this.#t('editorSaving') : label}
      </button>`;
    return html`<form class="base" part="base" aria-labelledby="heading" @submit=${(event: SubmitEvent) => event.preventDefault()} novalidate>
      <h3 id="heading">${this.card ? this.#t('editorEdit') : this.#t('editorNew')}</h3>
      ${this.conflict ? this.#renderConflict(this.conflict) : nothing}
      <div class="field">
        <label for="title">${this.#t('editorTitle')}</label>
        <input
          id="title"
          name="title"
          autocomplete="off"
          maxlength=${MAX_TITLE}
          aria-required="true"
          aria-invalid=${this.invalid.title ? 'true' : 'false'}
          aria-describedby=${this.#describedBy('title') || nothing}
          .value=${this.titleText}
          @input=${this.#onInput}
        />
        ${this.#renderError('title')}
      </div>
      <div class="field">
        <label for="summary">${this.#t('editorSummary')}</label>
        <textarea
          id="summary"
          name="summary"
          class="summary"
          maxlength=${MAX_SUMMARY}
          aria-invalid=${this.invalid.summary ? 'true' : 'false'}
          aria-describedby=${this.#describedBy('summary') || nothing}
          .value=${this.summary}
          @input=${this.#onInput}
        ></textarea>
        ${this.#renderError('summary')}
      </div>
      <div class="field">
        <div class="row">
          <label for="body" id="body-label" class="grow">${this.#t('editorBody')}</label>
          <button type="button" part="preview-toggle" aria-pressed=${this.previewing ? 'true' : 'false'} @click=${() => (this.previewing = !this.previewing)}>
            ${this.#t('editorPreview')}
          </button>
        </div>
        ${this.previewing
          ? html`<section class="preview" part="preview" aria-label=${this.#t('editorPreviewHeading')}>
              ${this.body.trim() && this.markdown ? this.markdown(this.body) : html`<p class="note">${this.#t('editorNothingToPreview')}</p>`}
            </section>`
          : html`<textarea
              id="body"
              name="body"
              part="body"
              aria-required="true"
              aria-invalid=${this.invalid.body ? 'true' : 'false'}
              aria-describedby=${this.#describedBy('body', 'body-help')}
              .value=${this.body}
              @input=${this.#onInput}
            ></textarea>`}
        <p class="note" id="body-help">${this.#t('editorMarkdownHelp')}</p>
        ${this.#renderError('body')}
      </div>
      <div class="field">
        <label for="tags">${this.#t('editorTags')}</label>
        <input
          id="tags"
          name="tags"
          autocomplete="off"
          aria-invalid=${this.invalid.tags ? 'true' : 'false'}
          aria-describedby=${this.#describedBy('tags', 'tags-help')}
          .value=${this.tagText}
          @input=${this.#onInput}
        />
        <p class="note" id="tags-help">${this.#t('editorTagsHelp')}</p>
        ${this.#renderError('tags')}
      </div>
      <div class="row">
        <span class="note grow" role="status">${saved}</span>
        ${this.card ? html`<button type="button" @click=${this.#cancel}>${this.#t('editorCancel')}</button>` : nothing}
        ${this.card?.status === 'published'
          ? submit(false, this.#t('editorSave'), true)
          : html`${submit(false, this.#t('editorSaveDraft'), false)} ${submit(true, this.#t('editorPublish'), true)}`}
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-card-editor': GuildCardEditor;
  }
  interface HTMLElementEventMap {
    'guild-card-editor-saved': GuildCardEditorSavedEvent;
    'guild-card-editor-failed': GuildCardEditorFailedEvent;
    'guild-card-editor-cancel': GuildCardEditorCancelEvent;
  }
}
