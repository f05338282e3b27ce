/** The library version, compared when two copies of Guildkit meet on one page. */
export const VERSION = '0.1.0';

const VERSION_KEY = Symbol.for('guildkit.version');

/**
 * Registers a custom element once. Loading Guildkit twice at the same version is a no-op; at another
 * version the first one wins and the console says so, instead of the page crashing.
 */
export function define(tag: string, element: CustomElementConstructor & { [VERSION_KEY]?: string }): void {
  const existing = customElements.get(tag) as (CustomElementConstructor & { [VERSION_KEY]?: string }) | undefined;
  if (existing) {
    if (existing !== element && existing[VERSION_KEY] !== VERSION) {
      console.warn(`Guildkit: <${tag}> is already defined by version ${existing[VERSION_KEY] ?? 'unknown'}; version ${VERSION} was not registered.`);
    }
    return;
  }
  element[VERSION_KEY] = VERSION;
  customElements.define(tag, element);
}
