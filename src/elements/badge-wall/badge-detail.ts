import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Connection } from '../../api/client.js';
import { tagReady } from '../../internal/autoload.js';
import { addMessages, type Translator } from '../../internal/i18n.js';
import { safeUrl } from '../../internal/safe-url.js';
import { credential, credentialJson, issuerKeys, statusList } from '../../stores/badge-credentials.js';
import type { Achievement, Award } from '../../stores/badges.js';
import { badgeDetailStyles } from './badge-detail.styles.js';
import { achievementOf, awardStatus, badgeImage, badgeTags, entry, joinStyles, progressText, type Detail } from './badge-parts.js';
import { badgeDetailMessages } from './detail-messages.js';
// Nothing is used from it: the wall's module puts what the wall and this part share (the helpers,
// the stores, the strings) in the wall's chunk, which is always loaded before this one, rather than
// in a chunk of their own that every wall would have to fetch.
import './badge-wall.js';
import { badgeVerificationMessages } from './verification-messages.js';
import type { CredentialSource } from './verify-credential.js';

// The verification's strings too: only the details render it, and its chunk then carries the
// cryptography alone. German comes with the wall's translation, loaded before any badge opens.
addMessages({ ...badgeDetailMessages, ...badgeVerificationMessages }, {});

/** LinkedIn's "add a certification" link, filled in from the award. */
function linkedInUrl(award: Award): string {
  const issued = new Date(award.validFrom);
  const params = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: award.achievement.name,
    organizationName: award.issuer.name,
    issueYear: String(issued.getUTCFullYear()),
    issueMonth: String(issued.getUTCMonth() + 1),
  });
  if (award.validUntil) {
    const until = new Date(award.validUntil);
    params.set('expirationYear', String(until.getUTCFullYear()));
    params.set('expirationMonth', String(until.getUTCMonth() + 1));
  }
  params.set('certUrl', award.verificationUrl);
  params.set('certId', award.id);
  return `https://www.linkedin.com/profile/add?${params.toString()}`;
}

function fileName(award: Award): string {
  const slug = `${award.achievement.name}-${award.id}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'credential'}.json`;
}

/**
 * What one badge's details dialog shows: criteria, evidence, issuer, dates, skills and tags; for an
 * award also the verification in the page, the verification link, LinkedIn and a JSON download. Its
 * own chunk, loaded the first time someone reaches for a badge. Internal: the badge wall renders it
 * inside its `<dialog>`, into the wall's own shadow root, so the dialog's `aria-labelledby`, the
 * wall's `::part(actions)` and the wall's focus handling reach it as before. It fires no events: the
 * wall fires `guild-badge-open`, and its Close button closes the wall's dialog.
 *
 * @tag guild-badge-detail
 * @summary Internal part of `<guild-badge-wall>`: the content of its details dialog. Not for use on its own.
 */
export class GuildBadgeDetail extends LitElement {
  /** The badge as it stands now. */
  @property({ attribute: false }) detail: Detail | undefined;
  @property({ attribute: false }) i18n: Translator | undefined;
  @property({ attribute: false }) connection: Connection | undefined;
  /** Labels of the kudos values that measures count, by value id. */
  @property({ attribute: false }) labels: Record<string, string> = {};
  /** The wall is the visitor's own: LinkedIn is offered for a valid award. */
  @property({ type: Boolean, attribute: 'mine' }) mine = false;

  @state() private verificationReady = false;
  @state() private verificationFailed = false;
  @state() private actionMessage = '';
  @state() private copyFallback = false;

  /** Which badge `actionMessage` and `copyFallback` are about. */
  #shownKey: string | undefined;

  /** What the verification reads (the verification chunk never talks to the API). */
  readonly #source: CredentialSource = {
    credential: (awardId) => this.#read((connection) => credential(connection, awardId)),
    issuerKeys: (communityId, signal) => this.#read((connection) => issuerKeys(connection, communityId, signal)),
    statusList: (communityId, signal) => this.#read((connection) => statusList(connection, communityId, signal)),
  };

  /** No shadow root of its own: see the class comment. */
  protected override createRenderRoot(): HTMLElement {
    joinStyles(this, badgeDetailStyles);
    return this;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // The wall hands over a new object on each of its renders; only another badge starts afresh. The
    // element outlives one badge: one opened before the dialog's `close` event lands reuses it.
    if (!changed.has('detail') || !this.detail) return;
    const { key } = entry(this.detail);
    if (key === this.#shownKey) return;
    this.#shownKey = key;
    this.actionMessage = '';
    this.copyFallback = false;
    if (this.detail.kind === 'award') void this.#loadVerification();
  }

  #read<T>(read: (connection: Connection) => Promise<T>): Promise<T> {
    return this.connection ? read(this.connection) : Promise.reject(new Error('No connection'));
  }

  async #loadVerification(): Promise<void> {
    if (this.verificationReady) return;
    this.verificationFailed = false;
    this.verificationReady = await tagReady('guild-badge-verification');
    this.verificationFailed = !this.verificationReady;
  }

  /** Whether `award` is still the badge shown: an action's answer may arrive after another one opened. */
  #shows(award: Award): boolean {
    return entry({ kind: 'award', award }).key === this.#shownKey;
  }

  async #copyLink(award: Award, url: string, i18n: Translator): Promise<void> {
    this.actionMessage = '';
    this.copyFallback = false;
    try {
      if (!('clipboard' in navigator)) throw new Error('No clipboard');
      await navigator.clipboard.writeText(url);
      if (this.#shows(award)) this.actionMessage = i18n.t('badgeLinkCopied');
    } catch {
      // No clipboard (an insecure page, a denied permission): offer the link selected, to copy by hand.
      if (!this.#shows(award)) return;
      this.copyFallback = true;
      await this.updateComplete;
      const field = this.querySelector<HTMLInputElement>('.copy-field input');
      field?.focus();
      field?.select();
    }
  }

  async #download(award: Award, i18n: Translator): Promise<void> {
    this.actionMessage = '';
    try {
      const json = await this.#read((connection) => credentialJson(connection, award.id));
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName(award);
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      if (this.#shows(award)) this.actionMessage = i18n.t('badgeDownloaded');
    } catch (error) {
      if (this.#shows(award)) this.actionMessage = i18n.t('badgeDownloadFailed', i18n.reason(error));
    }
  }

  #goalText(achievement: Achievement, i18n: Translator): string {
    const { measure } = achievement;
    return measure ? i18n.t('badgeGoal', measure.kind, measure.target, measure.value ? (this.labels[measure.value] ?? measure.value) : '') : i18n.t('badgeByHand');
  }

  #renderLinks(links: { href: string; text: string }[], api: string): TemplateResult {
    return html`<ul class="links">
      ${links.map(({ href, text }) => {
        const url = safeUrl(href, api);
        return html`<li>${url ? html`<a href=${url} target="_blank" rel="noopener noreferrer">${text}</a>` : text}</li>`;
      })}
    </ul>`;
  }

  #renderActions(award: Award, i18n: Translator, api: string): TemplateResult {
    const usable = awardStatus(award, Date.now()) === 'earned';
    const verificationUrl = safeUrl(award.verificationUrl, api);
    return html`<div class="actions" part="actions">
        ${verificationUrl ? html`<button type="button" @click=${() => void this.#copyLink(award, verificationUrl, i18n)}>${i18n.t('badgeCopyLink')}</button>` : nothing}
        ${usable && this.mine
          ? html`<a class="button" href=${linkedInUrl(award)} target="_blank" rel="noopener noreferrer"
              >${i18n.t('badgeLinkedIn')} <span class="visually-hidden">${i18n.t('badgeNewTab')}</span></a
            >`
          : nothing}
        <button type="button" @click=${() => void this.#download(award, i18n)}>${i18n.t('badgeDownload')}</button>
      </div>
      ${this.copyFallback && verificationUrl
        ? html`<label class="copy-field">${i18n.t('badgeCopyManually')} <input type="url" readonly .value=${verificationUrl} /></label>`
        : nothing}
      <p class="note action-status" role="status">${this.actionMessage}</p>`;
  }

  #renderVerification(award: Award, i18n: Translator): TemplateResult {
    return html`<div class="section">
      <h3>${i18n.t('badgeVerification')}</h3>
      ${this.verificationReady
        ? html`<guild-badge-verification .award=${award} .i18n=${i18n} .source=${this.#source}></guild-badge-verification>`
        : this.verificationFailed
          ? html`<p class="error" role="alert">${i18n.t('badgeVerifyUnavailable')}</p>
              <button type="button" @click=${() => void this.#loadVerification()}>${i18n.t('retry')}</button>`
          : html`<p class="note" role="status">${i18n.t('badgeVerifyLoading')}</p>`}
    </div>`;
  }

  override render(): TemplateResult | typeof nothing {
    const { detail, i18n, connection } = this;
    if (!detail || !i18n || !connection) return nothing;
    const { api } = connection;
    const f = i18n.formatters;
    const achievement = achievementOf(detail);
    const award = detail.kind === 'award' ? detail.award : undefined;
    const status = award ? awardStatus(award, Date.now()) : detail.kind;
    const stateLine =
      detail.kind === 'award'
        ? status === 'revoked'
          ? award?.result.revocationReason
            ? i18n.t('badgeRevokedBecause', award.result.revocationReason)
            : i18n.t('badgeRevoked')
          : status === 'expired'
            ? i18n.t('badgeExpired')
            : i18n.t('badgeEarnedAgo', detail.award.validFrom)
        : detail.kind === 'progress'
          ? progressText(i18n, detail.progress, this.labels)
          : detail.kind === 'locked'
            ? i18n.t('badgeLocked')
            : i18n.t('badgeEarnedBy', detail.achievement.earnedCount);
    const fact = (term: string, value: TemplateResult | string) => html`<dt>${term}</dt><dd>${value}</dd>`;
    const date = (iso: string) => html`<time datetime=${iso}>${f.dateTime(iso)}</time>`;
    const evidence = award?.evidence ?? [];
    const alignment = achievement.alignment ?? [];
    return html`<div class="detail-head">
        ${badgeImage(this, achievement, api)}
        <div class="grow">
          <h2 id="detail-title">${achievement.name}</h2>
          <p class="detail-state ${status}">${stateLine}</p>
        </div>
        <button type="button" class="close" @click=${() => this.closest('dialog')?.close()}>${i18n.t('badgeClose')}</button>
      </div>
      ${detail.kind === 'progress'
        ? html`<progress max=${detail.progress.target} .value=${Math.min(detail.progress.current, detail.progress.target)} aria-hidden="true"></progress>`
        : nothing}
      ${achievement.description ? html`<h3>${i18n.t('badgeDescription')}</h3><p class="narrative">${achievement.description}</p>` : nothing}
      <h3>${i18n.t('badgeCriteria')}</h3>
      <p class="narrative">${achievement.criteria.narrative}</p>
      ${award ? nothing : html`<p class="meta">${this.#goalText(achievement, i18n)}</p>`}
      ${evidence.length
        ? html`<h3>${i18n.t('badgeEvidence')}</h3>
            ${this.#renderLinks(
              evidence.map((item) => ({ href: item.id, text: item.name ?? item.narrative ?? item.id })),
              api,
            )}`
        : nothing}
      <h3>${i18n.t('badgeDetails')}</h3>
      <dl>
        ${award
          ? html`${fact(i18n.t('badgeRecipient'), award.recipient.name)} ${fact(i18n.t('badgeIssuer'), award.issuer.name)}
            ${fact(i18n.t('badgeIssued'), date(award.validFrom))} ${fact(i18n.t('badgeValidUntil'), award.validUntil ? date(award.validUntil) : i18n.t('badgeNoExpiry'))}
            ${fact(i18n.t('badgeAwardedBy'), award.awardedBy ? award.awardedBy.name : i18n.t('badgeAwardedForActivity'))}`
          : achievement.validityDays
            ? fact(i18n.t('badgeValidUntil'), i18n.t('badgeValidity', achievement.validityDays))
            : nothing}
        ${achievement.category ? fact(i18n.t('badgeCategory'), achievement.category) : nothing}
      </dl>
      ${alignment.length
        ? html`<h3>${i18n.t('badgeSkills')}</h3>
            ${this.#renderLinks(
              alignment.map((item) => ({ href: item.targetUrl, text: item.targetName })),
              api,
            )}`
        : nothing}
      ${achievement.tags?.length ? html`<h3>${i18n.t('badgeTags')}</h3>${badgeTags(achievement, i18n)}` : nothing}
      ${award ? html`${this.#renderVerification(award, i18n)} ${this.#renderActions(award, i18n, api)}` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-badge-detail': GuildBadgeDetail;
  }
}
