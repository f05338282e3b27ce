import { provide } from '@lit/context';
import { css, html, LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { withoutUndefined, type AuthMode, type PartialConfig, type TokenGetter } from '../../internal/config.js';
import { guildConfigContext } from '../../internal/context.js';

/**
 * Gives every Guildkit element inside it the same configuration: an API, a way to get the person's
 * token, a community. Elements' own attributes still win; the script tag and `configure()` fill gaps.
 *
 * @tag guild-provider
 * @summary Configuration for a subtree of Guildkit elements.
 *
 * @slot - The part of the page the configuration applies to.
 */
export class GuildProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  @provide({ context: guildConfigContext })
  protected context: PartialConfig | undefined;

  /** Base URL of the API for the elements inside. */
  @property({ attribute: 'api' }) api: string | undefined;

  /** A URL on the host's origin answering `{ "token": "…" }` for the signed-in person. */
  @property({ attribute: 'token-url' }) tokenUrl: string | undefined;

  /** `bearer` (default) or `cookie`. */
  @property({ attribute: 'auth' }) auth: AuthMode | undefined;

  /** The community the elements inside belong to. */
  @property({ attribute: 'community' }) community: string | undefined;

  /** Supplies the token in code (a property, never an attribute: no secret goes into markup). */
  @property({ attribute: false }) getToken: TokenGetter | undefined;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') || changed.has('tokenUrl') || changed.has('auth') || changed.has('community') || changed.has('getToken') || !this.context) {
      this.context = withoutUndefined({
        api: this.api,
        tokenUrl: this.tokenUrl,
        auth: this.auth === 'cookie' || this.auth === 'bearer' ? this.auth : undefined,
        community: this.community,
        getToken: this.getToken,
      });
    }
  }

  override render(): TemplateResult {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'guild-provider': GuildProvider;
  }
}
