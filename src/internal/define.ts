/** The library version, compared when two copies of Guildkit meet on one page. */
export const VERSION = '0.1.0';

declare global {
  /** Which Guildkit version registered each tag, shared by every copy loaded on the page. */
  var __guildkitVersions: Map<string, string> | undefined;
}

function registry(): Map<string, string> {
  globalThis.__guildkitVersions ??= new Map();
  return globalThis.__guildkitVersions;
}

/**
 * Registers a custom element once. Loading Guildkit twice at the same version is a no-op; at another
 * version the first one wins and the console says so, instead of the page crashing.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  const versions = registry();
  if (customElements.get(tag)) {
    const existing = versions.get(tag);
    if (existing !== VERSION) {
      console.warn(`Guildkit: <${tag}> is already defined by version ${existing ?? 'unknown'}; version ${VERSION} was not registered.`);
    }
    return;
  }
  versions.set(tag, VERSION);
  customElements.define(tag, element);
}
