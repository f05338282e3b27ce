import { ContextConsumer } from '@lit/context';
import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { getConnection, type Connection } from '../api/client.js';
import { tagReady } from './autoload.js';
import { pageConfig, resolveConfig, type GuildConfig, type PartialConfig } from './config.js';
import { guildConfigContext } from './context.js';
import { languageOf, loadMessages, translator, type Translator } from './i18n.js';
import { nextSlice } from '../stores/batch.js';

/** Whether `element` sits inside a `<guild-provider>`, across shadow roots. */
function insideProvider(element: Element): boolean {
  let node: Node | null = element.parentNode;
  while (node) {
    if (node instanceof Element && node.localName === 'guild-provider') return true;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return false;
}

/**
 * What every Guildkit element shares: configuration resolved in the documented order, the connection
 * it implies, the language it speaks and its theme.
 */
export class GuildElement extends LitElement {
  /**
   * Elements that show dates make the browser load its locale data while they wait for their data
   * (see `Translator.warmUp`); the others never need it.
   */
  protected static formatsDates = false;

  /** `lang` is watched too: a language change re-renders in the new language. */
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  #stopPageConfig: (() => void) | undefined;
  #connection: Connection | undefined;

  @state() protected providerConfig: PartialConfig | undefined;

  readonly #provider = new ContextConsumer(this, {
    context: guildConfigContext,
    subscribe: true,
    callback: (value) => {
      this.providerConfig = value;
    },
  });

  @state() protected pageConfigValue: PartialConfig = pageConfig.get();

  /** The language, resolved from `lang` on the element or its nearest ancestor, else the page's. */
  @state() protected locale = 'en';

  /** Base URL of the API; overrides `<guild-provider api>` and the script tag's `data-api`. */
  @property({ attribute: 'api' }) api: string | undefined;

  /** `light` (default), `dark`, or `auto` to follow the visitor's system setting. */
  @property({ attribute: 'theme', reflect: true }) theme: 'auto' | 'light' | 'dark' | undefined;

  /** Renders in time slices shared by every Guildkit element on the page (see `nextSlice`). */
  protected override async scheduleUpdate(): Promise<void> {
    await nextSlice();
    if (!this.hasUpdated && !customElements.get('guild-provider') && insideProvider(this)) {
      // The provider's code loads on its own and may arrive after this element's. Its settings (the
      // API, whose token) are unknown until then: reading with the page's instead could show another
      // person's view. Once it is defined, ask for its settings again; the first request went unheard.
      if (await tagReady('guild-provider')) {
        this.#provider.hostDisconnected();
        this.#provider.hostConnected();
      }
    }
    await super.scheduleUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#setLocale();
    this.#stopPageConfig = pageConfig.listen((value) => {
      this.pageConfigValue = value;
    });
    this.pageConfigValue = pageConfig.get();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopPageConfig?.();
    this.#stopPageConfig = undefined;
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && this.isConnected) this.#setLocale();
  }

  /** Speaks the language in force; its strings load on first use (English meanwhile), then it re-renders. */
  #setLocale(): void {
    this.locale = languageOf(this);
    if ((this.constructor as typeof GuildElement).formatsDates) translator(this.locale).warmUp();
    void loadMessages(this.locale)?.then(() => this.requestUpdate());
  }

  /** The configuration in force: attribute → provider → script tag or `configure()` → defaults. */
  protected get config(): GuildConfig {
    return resolveConfig({ api: this.api }, this.providerConfig, this.pageConfigValue);
  }

  protected get connection(): Connection {
    this.#connection ??= getConnection(this.config);
    return this.#connection;
  }

  protected get i18n(): Translator {
    return translator(this.locale);
  }

  /** `true` when a change in these properties changed which connection the element uses. */
  protected connectionChanged(changed: PropertyValues): boolean {
    if (!changed.has('api') && !changed.has('providerConfig') && !changed.has('pageConfigValue')) return false;
    const next = getConnection(this.config);
    if (next === this.#connection) return false;
    this.#connection = next;
    return true;
  }
}
