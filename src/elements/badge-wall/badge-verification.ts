import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Translator } from '../../internal/i18n.js';
import { nestedStyles } from '../../internal/theme.js';
import type { Award } from '../../stores/badges.js';
import { verifyAward, type CredentialSource, type VerificationOutcome } from './verify-credential.js';

export type { CredentialSource } from './verify-credential.js';

/**
 * Verifies one award's credential in the page and says what it found — "Verified", "Expired",
 * "Revoked" or "Could not verify" with the reason — in a live region. Its own chunk, with the
 * cryptography: loaded the first time a badge's details open. Internal: the badge wall renders it.
 */
export class GuildBadgeVerification extends LitElement {
  static override styles = [
    nestedStyles,
    css`
      :host {
        display: block;
      }
      .base {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5em;
        padding: 0.6em 0.75em;
        border: 1px solid var(--_border);
        border-inline-start-width: 4px;
        border-radius: 8px;
      }
      .verified {
        border-color: var(--guild-color-success, #15803d);
      }
      .expired {
        border-color: var(--guild-color-warning, #b45309);
      }
      .revoked,
      .invalid {
        border-color: var(--_danger);
      }
      .result {
        flex: 1 1 16em;
        margin: 0;
      }
      .verdict {
        margin-inline-end: 0.3em;
      }
      .verified .verdict {
        color: var(--guild-color-success, #15803d);
      }
      .expired .verdict {
        color: var(--guild-color-warning, #b45309);
      }
      .revoked .verdict,
      .invalid .verdict {
        color: var(--_danger);
      }
      button {
        min-block-size: 2em;
        padding-inline: 0.7em;
        border: 1px solid var(--_border);
        border-radius: 6px;
        background: var(--_surface);
        color: var(--_text);
        font: inherit;
        cursor: pointer;
      }
      button:focus-visible {
        outline: 2px solid transparent;
        box-shadow: var(--_focus);
      }
    `,
  ];

  /** The award whose credential is checked. */
  @property({ attribute: false }) award: Award | undefined;
  @property({ attribute: false }) i18n: Translator | undefined;
  /** Where the credential, the issuer's keys and the revocation list come from. */
  @property({ attribute: false }) source: CredentialSource | undefined;

  /** `undefined` while checking. */
  @state() private outcome: VerificationOutcome | undefined;

  #controller: AbortController | undefined;
  #checked: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Put back on the page (the dialog opened again): check again, the list may have changed.
    this.#checked = undefined;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#controller?.abort();
  }

  override willUpdate(_changed: PropertyValues<this>): void {
    if (this.award && this.source && this.award.id !== this.#checked) void this.#check();
  }

  async #check(): Promise<void> {
    const { award, source } = this;
    if (!award || !source) return;
    this.#checked = award.id;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.outcome = undefined;
    let outcome: VerificationOutcome;
    try {
      outcome = await verifyAward(award, source, controller.signal);
    } catch (error) {
      outcome = { status: 'invalid', reason: 'unreachable', error };
    }
    if (!controller.signal.aborted) this.outcome = outcome;
  }

  readonly #retry = (): void => {
    this.#checked = undefined;
    this.requestUpdate();
  };

  #reason(outcome: VerificationOutcome, i18n: Translator): string {
    switch (outcome.status) {
      case 'verified':
        return i18n.t('verifyVerifiedDetail', this.award?.issuer.name ?? '', outcome.validUntil ?? '');
      case 'expired':
        return i18n.t('verifyExpiredDetail', outcome.validUntil);
      case 'revoked':
        return i18n.t('verifyRevokedDetail');
      default:
        break;
    }
    switch (outcome.reason) {
      case 'unreachable':
        return i18n.t('verifyUnreachable', i18n.reason(outcome.error));
      case 'status-unreachable':
        return i18n.t('verifyStatusUnreachable', i18n.reason(outcome.error));
      case 'algorithm':
        return i18n.t('verifyAlgorithm', outcome.alg);
      case 'unknown-key':
        return i18n.t('verifyUnknownKey');
      case 'signature':
        return i18n.t('verifySignature');
      case 'issuer':
        return i18n.t('verifyIssuer');
      case 'not-a-badge':
        return i18n.t('verifyNotABadge');
      case 'other-award':
        return i18n.t('verifyOtherAward');
      case 'not-yet-valid':
        return i18n.t('verifyNotYetValid', outcome.validFrom);
      case 'status-list':
        return i18n.t('verifyStatusList');
      default:
        return i18n.t('verifyMalformed');
    }
  }

  override render(): TemplateResult {
    const { i18n, outcome } = this;
    if (!i18n) return html``;
    const verdicts = { verified: 'verifyVerified', expired: 'verifyExpired', revoked: 'verifyRevoked', invalid: 'verifyInvalid' } as const;
    return html`<div class="base ${outcome?.status ?? 'checking'}" part="base">
      <p class="result" part="result" role="status" aria-live="polite">
        ${outcome
          ? html`<strong class="verdict" part="verdict">${i18n.t(verdicts[outcome.status])}</strong> <span class="reason">${this.#reason(outcome, i18n)}</span>`
          : i18n.t('verifyChecking')}
      </p>
      ${outcome?.status === 'invalid' ? html`<button type="button" @click=${this.#retry}>${i18n.t('verifyRetry')}</button>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-badge-verification': GuildBadgeVerification;
  }
}
