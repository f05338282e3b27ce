import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Connection } from '../../api/client.js';
import { addMessages, type Translator } from '../../internal/i18n.js';
import { nestedStyles } from '../../internal/theme.js';
import { cardVersions, flagCard, verifyCard } from '../../stores/card-reviews.js';
import type { Card, CardPublisher, CardVersion } from '../../stores/cards.js';
import type { MarkdownRenderer } from './card-editor.js';
// Nothing is used from it: importing the card's module keeps what the card and this panel share (the
// control styles) in the card's chunk, always loaded first, rather than in a chunk every card fetches.
import './knowledge-card.js';
import { cardControlStyles } from './knowledge-card.styles.js';
import { cardPanelMessages } from './panel-messages.js';

addMessages(cardPanelMessages, {});

/** What one panel shows: a form, the link to copy by hand, or the version history. */
export type CardPanelKind = 'verify' | 'flag' | 'copy' | 'history';

/**
 * Fired on the panel when a form's action succeeded: the card closes the form and says `message`.
 * Neither bubbles nor composed: only the card, listening on the panel, hears it.
 */
export class GuildCardPanelDoneEvent extends Event {
  static readonly eventName = 'guild-card-panel-done';
  constructor(readonly message: string) {
    super(GuildCardPanelDoneEvent.eventName);
  }
}

/** Fired on the panel when the reader cancels a form (its Cancel button, Escape). Neither bubbles nor composed. */
export class GuildCardPanelCloseEvent extends Event {
  static readonly eventName = 'guild-card-panel-close';
  constructor() {
    super(GuildCardPanelCloseEvent.eventName);
  }
}

interface History {
  status: 'loading' | 'ready' | 'error';
  items: CardVersion[];
  error: string;
}

/**
 * The parts of `<guild-knowledge-card>` a reader opens: the verify and flag forms, the link to copy
 * by hand when the clipboard refuses, and the version history. Loaded when the reader reaches for the
 * card (first pointer or focus on it) or opens one of them, never up front. Internal: only the card
 * renders it, setting its properties; its events neither bubble nor cross the card's shadow root.
 *
 * @tag guild-card-panel
 * @summary Internal to `<guild-knowledge-card>`: its verify and flag forms, the link to copy by hand, and the version history.
 *
 * @fires {GuildCardPanelDoneEvent} guild-card-panel-done - A form's action succeeded; `message` is what the card says.
 * @fires {GuildCardPanelCloseEvent} guild-card-panel-close - The reader cancelled a form (Cancel or Escape).
 */
export class GuildCardPanel extends LitElement {
  static override styles = [
    nestedStyles,
    cardControlStyles,
    css`
      :host {
        display: block;
      }
      .note {
        margin: 0.6em 0;
        color: var(--_muted);
        font-size: var(--_small);
      }
      button.primary {
        border-color: var(--_accent);
        background: var(--_accent);
        color: var(--_on-accent);
      }
      input:focus-visible,
      textarea:focus-visible,
      summary:focus-visible {
        outline: 2px solid transparent;
        box-shadow: var(--_focus);
      }
      .panel {
        display: grid;
        gap: 0.4em;
        margin-block-start: 0.6em;
        padding: 0.6em 0.8em;
        border: 1px solid var(--_border);
        border-radius: 8px;
      }
      .legend {
        margin: 0;
        font-weight: 600;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5em;
      }
      input,
      textarea {
        box-sizing: border-box;
        inline-size: 100%;
        padding: 0.4em 0.6em;
        border: 1px solid var(--_border);
        border-radius: 6px;
        background: var(--_surface);
        color: var(--_text);
        font: inherit;
      }
      .panel input {
        max-inline-size: 10em;
      }
      textarea {
        min-block-size: 4em;
        resize: vertical;
      }
      .copy-field {
        display: grid;
        gap: 0.25em;
        margin-block-start: 0.5em;
      }
      .versions {
        margin: 0.4em 0 0;
        padding-inline-start: 1.2em;
      }
      .versions summary {
        cursor: pointer;
      }
      .version {
        margin: 0.3em 0 0.6em;
        padding-inline-start: 0.8em;
        border-inline-start: 2px solid var(--_border);
      }
      .summary {
        margin: 0.3em 0 0;
      }
    `,
  ];

  /** Set by the card. */
  @property({ attribute: false }) i18n: Translator | undefined;
  @property({ attribute: false }) connection: Connection | undefined;
  /** Hands a card the server confirmed to the card's stores. */
  @property({ attribute: false }) publishCard: CardPublisher | undefined;
  @property({ attribute: false }) card: Card | undefined;
  @property({ attribute: false }) kind: CardPanelKind | undefined;
  /** The card's link, for `copy`. */
  @property({ attribute: false }) url = '';
  /** Whether the history is shown (it is read the first time it is, and again after a failure). */
  @property({ attribute: false }) open = false;
  @property({ attribute: false }) markdown: MarkdownRenderer | undefined;

  @state() private busy = false;
  @state() private error = '';
  @state() private history: History | undefined;

  #historyController: AbortController | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#historyController?.abort();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('kind')) this.error = '';
    // Read when first opened, and again on opening after a failure.
    const opened = changed.has('open') || changed.has('kind');
    if (opened && this.kind === 'history' && this.open && this.history?.status !== 'ready' && this.history?.status !== 'loading') void this.#readHistory();
  }

  /** Puts the caret in the form's field, or selects the link to copy. */
  override focus(): void {
    void this.updateComplete.then(() => {
      const field = this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>('input, textarea');
      field?.focus();
      if (this.kind === 'copy') field?.select();
    });
  }

  async #readHistory(): Promise<void> {
    const { connection, card, i18n } = this;
    if (!connection || !card || !i18n) return;
    this.#historyController?.abort();
    const controller = new AbortController();
    this.#historyController = controller;
    this.history = { status: 'loading', items: [], error: '' };
    try {
      const items = await cardVersions(connection, card.id, controller.signal);
      if (!controller.signal.aborted) this.history = { status: 'ready', items, error: '' };
    } catch (error) {
      if (!controller.signal.aborted) this.history = { status: 'error', items: [], error: i18n.t('cardHistoryFailed', i18n.reason(error)) };
    }
  }

  #close(): void {
    this.dispatchEvent(new GuildCardPanelCloseEvent());
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.#close();
  };

  async #act(action: (connection: Connection, publish: CardPublisher, id: string) => Promise<unknown>, done: 'cardVerifiedDone' | 'cardFlaggedDone'): Promise<void> {
    const { connection, publishCard, card, i18n } = this;
    if (this.busy || !connection || !publishCard || !card || !i18n) return;
    this.busy = true;
    this.error = '';
    try {
      await action(connection, publishCard, card.id);
      this.dispatchEvent(new GuildCardPanelDoneEvent(i18n.t(done)));
    } catch (error) {
      this.error = i18n.t('cardActionFailed', i18n.reason(error));
    } finally {
      this.busy = false;
    }
  }

  readonly #onVerify = (event: SubmitEvent): void => {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLInputElement>('#verify-days');
    if (!field) return;
    if (!field.checkValidity()) {
      field.reportValidity();
      return;
    }
    const days = field.value ? Number(field.value) : undefined;
    void this.#act((connection, publish, id) => verifyCard(connection, publish, id, days), 'cardVerifiedDone');
  };

  readonly #onFlag = (event: SubmitEvent): void => {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('#flag-reason');
    const reason = field?.value.trim() ?? '';
    if (!field) return;
    if (!reason) {
      field.focus();
      return;
    }
    void this.#act((connection, publish, id) => flagCard(connection, publish, id, reason), 'cardFlaggedDone');
  };

  #renderButtons(send: string): TemplateResult {
    const i18n = this.i18n;
    return html`<div class="row">
        <button type="button" @click=${() => this.#close()}>${i18n?.t('cardCancel')}</button>
        <button type="submit" class="primary" aria-busy=${this.busy ? 'true' : 'false'}>${send}</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }

  #renderHistory(): TemplateResult | typeof nothing {
    const { i18n, history } = this;
    if (!i18n || !history) return nothing;
    if (history.status === 'loading') return html`<p class="note" role="status">${i18n.t('cardHistoryLoading')}</p>`;
    if (history.status === 'error') return html`<p class="error" role="alert">${history.error}</p>`;
    return html`<ol class="versions">
      ${history.items.map(
        (version) => html`<li>
          <details>
            <summary>${i18n.t('cardVersion', version.version, version.editor.name, version.createdAt)}</summary>
            <div class="version">
              <p class="version-title"><strong>${version.title}</strong></p>
              ${version.summary ? html`<p class="summary">${version.summary}</p>` : nothing}
              <div class="body">${this.markdown?.(version.body)}</div>
              ${version.tags.length ? html`<p class="note">${i18n.t('cardTags')}: ${version.tags.join(', ')}</p>` : nothing}
            </div>
          </details>
        </li>`,
      )}
    </ol>`;
  }

  override render(): TemplateResult | typeof nothing {
    const { i18n, card } = this;
    if (!i18n || !card) return nothing;
    switch (this.kind) {
      case 'verify':
        return html`<form class="panel" @submit=${this.#onVerify} @keydown=${this.#onKeyDown} aria-labelledby="verify-legend">
          <p id="verify-legend" class="legend">${i18n.t('cardVerifyLegend')}</p>
          <label for="verify-days">${i18n.t('cardVerifyInterval')}</label>
          <input id="verify-days" name="days" type="number" inputmode="numeric" min="1" max="730" step="1" placeholder=${String(card.reviewIntervalDays)} />
          ${this.#renderButtons(i18n.t('cardVerifySend'))}
        </form>`;
      case 'flag':
        return html`<form class="panel" @submit=${this.#onFlag} @keydown=${this.#onKeyDown} aria-labelledby="flag-label">
          <label id="flag-label" for="flag-reason">${i18n.t('cardFlagLabel')}</label>
          <textarea id="flag-reason" name="reason" required maxlength="1000" aria-required="true"></textarea>
          ${this.#renderButtons(i18n.t('cardFlagSend'))}
        </form>`;
      case 'copy':
        return html`<label class="copy-field">${i18n.t('cardCopyManually')} <input type="url" readonly .value=${this.url} /></label>`;
      case 'history':
        return this.#renderHistory();
      default:
        return nothing;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-card-panel': GuildCardPanel;
  }
  interface HTMLElementEventMap {
    'guild-card-panel-done': GuildCardPanelDoneEvent;
    'guild-card-panel-close': GuildCardPanelCloseEvent;
  }
}
