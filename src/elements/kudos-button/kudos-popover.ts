import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Connection } from '../../api/client.js';
import { addMessages, type Translator } from '../../internal/i18n.js';
import { nestedStyles } from '../../internal/theme.js';
import { givingContext, type GivingContext } from '../../stores/recognition.js';
import { kudosPopoverMessages } from './popover-messages.js';

addMessages(kudosPopoverMessages, {});

/** What the person chose in the popover. */
export interface KudosDetails {
  message: string;
  value: string | undefined;
}

/** Fired when the person sends kudos from the popover. */
export class GuildKudosDetailsEvent extends Event {
  static readonly eventName = 'guild-kudos-details';
  constructor(readonly details: KudosDetails) {
    super(GuildKudosDetailsEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * The kudos button's popover: a value from the community's list, a message, and how many kudos are
 * left this week. Loaded the first time someone opens it; a plain click on the button never needs it.
 * Internal: the kudos button renders it.
 */
export class GuildKudosPopover extends LitElement {
  static override styles = [
    nestedStyles,
    css`
      :host {
        position: absolute;
        z-index: 3;
        inset-block-start: calc(100% + 6px);
        inset-inline-start: 0;
        display: block;
        inline-size: min(22em, 90vw);
      }
      .grid {
        display: grid;
        gap: 0.6em;
      }
      .base {
        padding: 0.8em;
        border: 1px solid var(--_border);
        border-radius: 10px;
        background: var(--_surface);
        box-shadow: 0 6px 24px rgb(0 0 0 / 18%);
      }
      h2 {
        margin: 0;
        font-size: 1em;
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em 0.8em;
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend,
      label {
        font-size: var(--_small);
      }
      legend {
        margin-block-end: 0.3em;
        padding: 0;
      }
      textarea {
        box-sizing: border-box;
        inline-size: 100%;
        min-block-size: 3.5em;
        padding: 0.4em;
        border: 1px solid var(--_border);
        border-radius: 6px;
        background: var(--_surface);
        color: var(--_text);
        font: inherit;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: flex-end;
        gap: 0.4em;
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
      button:focus-visible,
      textarea:focus-visible,
      input:focus-visible {
        outline: 2px solid transparent;
        box-shadow: var(--_focus);
      }
    `,
  ];

  @property({ attribute: false }) connection: Connection | undefined;
  @property({ attribute: false }) i18n: Translator | undefined;
  /** The community the kudos count in; the server's default without it. */
  @property({ attribute: false }) community: string | undefined;
  /** Whom the kudos thank, for the title. */
  @property({ attribute: false }) recipientName = '';

  @state() private context: GivingContext | undefined;
  @state() private loadError = '';
  @state() private value: string | undefined;

  #controller: AbortController | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('connection') || changed.has('community')) && this.connection) void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
  }

  async #load(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loadError = '';
    try {
      this.context = await givingContext(connection, this.community, controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) this.loadError = this.i18n?.reason(error) ?? '';
    }
  }

  /** Puts focus on the first choice. */
  override focus(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('input, textarea, button')?.focus());
  }

  get #remaining(): number | undefined {
    return this.context?.allowance.remaining;
  }

  readonly #send = (event: Event): void => {
    event.preventDefault();
    if (this.#remaining === 0) return;
    const message = this.renderRoot.querySelector('textarea')?.value ?? '';
    this.dispatchEvent(new GuildKudosDetailsEvent({ message: message.trim(), value: this.value }));
  };

  readonly #cancel = (): void => {
    this.dispatchEvent(new Event('guild-kudos-cancel', { bubbles: true, composed: true }));
  };

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.#cancel();
    }
  };

  #renderValues(): TemplateResult | typeof nothing {
    const values = this.context?.community.settings.kudosValues ?? [];
    const i18n = this.i18n;
    if (!values.length || !i18n) return nothing;
    const choice = (id: string | undefined, label: string) =>
      html`<label
        ><input type="radio" name="value" .checked=${this.value === id} @change=${() => (this.value = id)} />
        ${label}</label
      >`;
    return html`<fieldset>
      <legend>${i18n.t('kudosValueLegend')}</legend>
      ${choice(undefined, i18n.t('kudosValueNone'))} ${values.map((value) => choice(value.id, value.label))}
    </fieldset>`;
  }

  override render(): TemplateResult {
    const i18n = this.i18n;
    if (!i18n) return html``;
    const allowance = this.context?.allowance;
    const none = allowance?.remaining === 0;
    return html`<div class="base" part="base" role="dialog" aria-modal="false" aria-labelledby="title" @keydown=${this.#onKeyDown}><form class="grid" @submit=${this.#send}>
      <h2 id="title">${i18n.t('kudosPopoverTitle', this.recipientName)}</h2>
      ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
      ${this.context ? this.#renderValues() : !this.loadError ? html`<p class="note">${i18n.t('kudosPopoverLoading')}</p>` : nothing}
      <label for="message">${i18n.t('kudosMessageLabel')}</label>
      <textarea id="message" maxlength="500"></textarea>
      ${allowance
        ? html`<p id="allowance" class="note" part="allowance">
            ${i18n.t('kudosAllowanceLeft', allowance.remaining, allowance.perWeek)} ${none ? i18n.t('kudosAllowanceRenews', allowance.renewsAt) : ''}
          </p>`
        : nothing}
      <div class="row">
        <button type="button" @click=${this.#cancel}>${i18n.t('kudosCancel')}</button>
        <button type="submit" class="primary" aria-disabled=${none ? 'true' : 'false'} aria-describedby=${allowance ? 'allowance' : nothing}>${i18n.t('kudosSend')}</button>
      </div>
    </form></div>`;
  }
}

if (!customElements.get('guild-kudos-popover')) customElements.define('guild-kudos-popover', GuildKudosPopover);

declare global {
  interface HTMLElementTagNameMap {
    'guild-kudos-popover': GuildKudosPopover;
  }
}
