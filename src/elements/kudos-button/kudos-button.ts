import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { GuildElement } from '../../internal/guild-element.js';
import { tagReady } from '../../internal/autoload.js';
import { addMessages } from '../../internal/i18n.js';
import { initials, pageSubject } from '../../internal/people.js';
import { StoreController } from '../../internal/store-controller.js';
import { themeStyles } from '../../internal/theme.js';
import { kudosStore, reloadKudos, toggleKudos, type KudosState, type KudosSummary } from '../../stores/kudos.js';
import { isSignedOut, signedInId, sessionStore, type Session } from '../../stores/session.js';
import { kudosButtonStyles } from './kudos-button.styles.js';
import type { GuildKudosDetailsEvent } from './kudos-popover.js';
import { kudosMessages, kudosTranslations } from './messages.js';

addMessages(kudosMessages, kudosTranslations);

/** Fired after the server confirmed that I gave kudos or took mine back. */
export class GuildKudosChangeEvent extends Event {
  static readonly eventName = 'guild-kudos-change';

  constructor(
    /** The subject the kudos are on. */
    readonly subject: string,
    /** `true` when I gave kudos, `false` when I took mine back. */
    readonly given: boolean,
    /** The subject's kudos count as the server now has it. */
    readonly count: number,
  ) {
    super(GuildKudosChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A sparkle rather than an emoji: it renders the same on machines without an emoji font. */
const icon = html`<svg class="icon" part="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M12 2l2.4 7.6L22 12l-7.6 2.4L12 22l-2.4-7.6L2 12l7.6-2.4z" />
</svg>`;

/**
 * A button to thank someone for something: shows how many people gave kudos on a subject and whether
 * I did; one click gives, another takes back. Updates live when others give.
 *
 * Far off screen, a button costs no style or layout work until it is scrolled near (`content-visibility:
 * auto` on its `base` part; `guild-kudos-button::part(base) { content-visibility: visible }` opts out).
 * It sits in a line of text centred (`vertical-align: middle`); in a flex or grid row aligned by
 * baseline, give it `align-self: center`.
 *
 * @tag guild-kudos-button
 * @summary Give kudos on a subject, credited to its author.
 *
 * @fires guild-kudos-change - `GuildKudosChangeEvent`: after the server confirmed my kudos or their withdrawal.
 *
 * @csspart base - The wrapper around the button and its notes.
 * @csspart button - The toggle button.
 * @csspart icon - The sparkle icon.
 * @csspart count - The number of kudos.
 * @csspart givers - Recent givers: avatars and "and N others" (the names are read out to screen readers).
 * @csspart more - The button that opens the popover to add a message or a value.
 * @csspart popover - The popover: the community's values, a message, and how many kudos are left this week.
 * @csspart note - The hint shown when I cannot give (signed out, or my own subject).
 * @csspart error - The message shown when loading or saving failed.
 * @csspart retry - The button that loads again after a failure.
 *
 * @cssprop --guild-kudos-button-background - Button background (default: `--guild-color-surface`).
 * @cssprop --guild-kudos-button-color - Button text colour (default: `--guild-color-text`).
 * @cssprop --guild-kudos-button-border-color - Button border (default: `--guild-color-border`).
 * @cssprop --guild-kudos-button-pressed-background - Background once I gave (default: `--guild-color-accent`).
 * @cssprop --guild-kudos-button-pressed-color - Text colour once I gave (default: `--guild-color-on-accent`).
 * @cssprop --guild-kudos-button-radius - Corner radius (default: `--guild-radius`).
 * @cssprop --guild-color-accent - Accent shared by every Guildkit element (default: `#2563eb`).
 * @cssprop --guild-color-on-accent - Text on the accent (default: `#ffffff`).
 * @cssprop --guild-color-text - Text (default: `#1f2937`).
 * @cssprop --guild-color-muted - Secondary text: givers, notes (default: `#4b5563`).
 * @cssprop --guild-color-surface - Backgrounds (default: `#ffffff`).
 * @cssprop --guild-color-border - Borders (default: `#d1d5db`).
 * @cssprop --guild-color-danger - Error messages (default: `#b91c1c`).
 * @cssprop --guild-radius - Corner radius shared by every element (default: `999px`).
 * @cssprop --guild-focus-ring - Focus indicator, a box-shadow (default: a 3px accent ring).
 * @cssprop --guild-font-family - Font (default: inherited from the page).
 * @cssprop --guild-font-size - Base type size (default: `15px`).
 * @cssprop --guild-color-accent-dark - Each colour token has a `-dark` variant used by `theme="dark"` and `theme="auto"`.
 */
export class GuildKudosButton extends GuildElement {
  static override styles = [themeStyles, kudosButtonStyles];

  readonly #kudos = new StoreController<KudosState>(this);
  readonly #session = new StoreController<Session>(this);

  /** What was just announced to screen readers (a polite live region). */
  @state() private announcement = '';

  /** What the kudos are for: any string, e.g. `card:42` or `course-101/week-1`. Defaults to the page's path. */
  @property({ attribute: 'subject' }) subject: string | undefined;

  /** Who is thanked: a person id. Defaults to the subject's author as the server knows it. */
  @property({ attribute: 'recipient' }) recipient: string | undefined;

  /** The community the kudos count in. Defaults to the provider's, the script tag's, or the server's. */
  @property({ attribute: 'community' }) community: string | undefined;

  /** `full` (default): the button, a way to add a message or value, and who gave; `compact`: the button and its count only. */
  @property({ attribute: 'view' }) view: 'full' | 'compact' | undefined;

  /** How many givers' avatars to show before "and N others" (default 3). */
  @property({ attribute: 'max-givers', type: Number }) maxGivers = 3;

  @state() private popoverState: 'closed' | 'loading' | 'open' = 'closed';

  override willUpdate(changed: PropertyValues): void {
    const connectionChanged = this.connectionChanged(changed);
    if (connectionChanged || changed.has('subject') || !this.#kudos.store) {
      this.#kudos.store = kudosStore(this.connection, this.#subject);
      this.#session.store = sessionStore(this.connection);
      if (changed.has('subject') && changed.get('subject') !== undefined) this.announcement = '';
    }
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

  #recipientOf(summary: KudosSummary): string | undefined {
    return this.recipient ?? summary.recipient?.id;
  }

  #isMine(summary: KudosSummary): boolean {
    const me = this.#me;
    return me !== undefined && this.#recipientOf(summary) === me;
  }

  readonly #onClick = async (): Promise<void> => {
    const value = this.#kudos.value;
    const summary = value?.summary;
    if (!summary || value.pending) return;
    if (this.#signedOut) {
      this.announcement = this.i18n.t('kudosSignIn');
      return;
    }
    if (this.#isMine(summary)) {
      this.announcement = this.i18n.t('kudosSelf');
      return;
    }
    await this.#toggle({});
  };

  async #toggle(details: { message?: string | undefined; value?: string | undefined }): Promise<void> {
    const subject = this.#subject;
    const confirmed = await toggleKudos(this.connection, subject, {
      recipientId: this.recipient,
      communityId: this.community ?? this.config.community,
      ...details,
    });
    if (confirmed) {
      this.announcement = this.i18n.t(confirmed.givenByMe ? 'kudosGiven' : 'kudosWithdrawn', confirmed.count);
      this.dispatchEvent(new GuildKudosChangeEvent(subject, confirmed.givenByMe, confirmed.count));
    } else {
      const failure = this.#kudos.value?.writeError;
      if (failure) {
        const reason = this.i18n.reason(failure.error);
        this.announcement = this.i18n.t(failure.action === 'give' ? 'kudosGiveFailed' : 'kudosWithdrawFailed', reason);
      }
    }
  }

  readonly #openPopover = async (): Promise<void> => {
    if (this.popoverState !== 'closed') {
      this.#closePopover();
      return;
    }
    this.popoverState = 'loading';
    const ready = await tagReady('guild-kudos-popover');
    if (this.popoverState !== 'loading') return;
    if (!ready) {
      // Its code could not be fetched (offline, say): nothing opens, and the reader hears why.
      this.popoverState = 'closed';
      this.announcement = this.i18n.t('kudosPopoverFailed');
      return;
    }
    this.popoverState = 'open';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('guild-kudos-popover')?.focus();
  };

  #closePopover(): void {
    this.popoverState = 'closed';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('button.more')?.focus());
  }

  readonly #onDetails = async (event: GuildKudosDetailsEvent): Promise<void> => {
    event.stopPropagation();
    this.popoverState = 'closed';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('button[part="button"]')?.focus();
    await this.#toggle(event.details);
  };

  readonly #onRetry = (): void => {
    reloadKudos(this.connection, this.#subject);
  };

  #renderGivers(summary: KudosSummary): TemplateResult | typeof nothing {
    const me = this.#me;
    const names = summary.recentGivers.map((person) => (person.id === me ? this.i18n.t('you') : person.name));
    if (names.length === 0) return nothing;
    const others = Math.max(0, summary.count - names.length);
    const shown = summary.recentGivers.slice(0, Math.max(0, this.maxGivers));
    const hidden = summary.count - shown.length;
    return html`<span class="givers" part="givers">
      ${shown.length
        ? html`<span class="avatars" aria-hidden="true"
            >${shown.map((person) => html`<span class="avatar" title=${person.name}>${initials(person.name)}</span>`)}${hidden > 0
              ? html`<span class="others">${this.i18n.t('kudosOthers', hidden)}</span>`
              : nothing}</span
          >`
        : nothing}
      <span id="givers" class=${shown.length ? 'visually-hidden' : 'note'}>${this.i18n.t('kudosGivers', names, others)}</span>
    </span>`;
  }

  #renderMore(value: KudosState, summary: KudosSummary, blocked: string | undefined): TemplateResult | typeof nothing {
    if (blocked || summary.givenByMe || value.pending || !this.#me) return nothing;
    const recipient = summary.recipient?.name ?? '';
    return html`<span class="anchor">
      <button
        class="more"
        part="more"
        type="button"
        aria-haspopup="dialog"
        aria-expanded=${this.popoverState === 'open' ? 'true' : 'false'}
        aria-busy=${this.popoverState === 'loading' ? 'true' : 'false'}
        aria-label=${this.i18n.t('kudosAddMessage')}
        title=${this.i18n.t('kudosAddMessage')}
        @click=${this.#openPopover}
      >
        <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M4 4h16v11H8l-4 4z" />
        </svg>
      </button>
      ${this.popoverState === 'open'
        ? html`<guild-kudos-popover
            part="popover"
            .connection=${this.connection}
            .i18n=${this.i18n}
            .community=${this.community ?? this.config.community}
            .recipientName=${recipient}
            @guild-kudos-details=${this.#onDetails}
            @guild-kudos-cancel=${() => this.#closePopover()}
          ></guild-kudos-popover>`
        : nothing}
    </span>`;
  }

  #renderReady(value: KudosState, summary: KudosSummary): TemplateResult {
    const { i18n } = this;
    const blockedNote = this.#signedOut ? i18n.t('kudosSignIn') : this.#isMine(summary) ? i18n.t('kudosSelf') : undefined;
    const compact = this.view === 'compact';
    const failure = value.writeError;
    const describedBy = compact ? '' : [blockedNote ? 'note' : '', summary.recentGivers.length ? 'givers' : ''].filter(Boolean).join(' ');
    return html`
      <button
        part="button"
        type="button"
        aria-pressed=${summary.givenByMe ? 'true' : 'false'}
        aria-disabled=${blockedNote ? 'true' : 'false'}
        title=${compact && blockedNote ? blockedNote : nothing}
        aria-busy=${value.pending ? 'true' : 'false'}
        aria-describedby=${describedBy || nothing}
        @click=${this.#onClick}
      >
        ${icon}
        <span class="label">${i18n.t('kudosLabel')}</span>
        <span class="count" part="count">${i18n.formatters.number(summary.count)}</span>
      </button>
      ${compact ? nothing : this.#renderMore(value, summary, blockedNote)} ${compact ? nothing : this.#renderGivers(summary)}
      ${blockedNote && !compact ? html`<span id="note" class="note" part="note">${blockedNote}</span>` : nothing}
      ${failure
        ? html`<span class="error" part="error">${i18n.t(
            failure.action === 'give' ? 'kudosGiveFailed' : 'kudosWithdrawFailed',
            i18n.reason(failure.error),
          )}</span>`
        : nothing}
    `;
  }

  override render(): TemplateResult {
    const value = this.#kudos.value;
    const { i18n } = this;
    let body: TemplateResult;
    if (value?.summary && value.status !== 'error') {
      body = this.#renderReady(value, value.summary);
    } else if (value?.status === 'error') {
      body = html`
        <span class="error" part="error">${i18n.t('kudosLoadFailed')}</span>
        <button class="retry" part="retry" type="button" @click=${this.#onRetry}>${i18n.t('retry')}</button>
      `;
    } else {
      body = html`
        <button part="button" type="button" aria-disabled="true" aria-busy="true">
          ${icon}
          <span class="label">${i18n.t('kudosLabel')}</span>
          <span class="skeleton" aria-hidden="true"></span>
          <span class="visually-hidden">${i18n.t('kudosLoading')}</span>
        </button>
      `;
    }
    return html`<div class=${this.popoverState === 'closed' ? 'base' : 'base open'} part="base">
      ${body}
      <span class="visually-hidden" role="status" aria-live="polite">${this.announcement}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-kudos-button': GuildKudosButton;
  }
  interface HTMLElementEventMap {
    'guild-kudos-change': GuildKudosChangeEvent;
  }
}
