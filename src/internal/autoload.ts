/** Loads the module that registers one tag. */
export type TagLoader = () => Promise<unknown>;

const loaders = new Map<string, TagLoader>();
const loading = new Map<string, Promise<void>>();
let observer: MutationObserver | undefined;

function load(tag: string): Promise<void> | undefined {
  const loader = loaders.get(tag);
  if (!loader || customElements.get(tag)) return undefined;
  let pending = loading.get(tag);
  if (!pending) {
    pending = loader().then(
      () => undefined,
      (error: unknown) => {
        // A failed chunk (offline, CDN hiccup) may be fetched again the next time the tag appears.
        loading.delete(tag);
        console.error(`Guildkit: <${tag}> could not be loaded.`, error);
      },
    );
    loading.set(tag, pending);
  }
  return pending;
}

/**
 * Makes sure one tag is defined, loading its code if needed: for elements that render other lazily
 * loaded elements (the thread's composer). Resolves at once when the tag is already defined.
 */
export function loadTag(tag: string): Promise<void> {
  if (customElements.get(tag)) return Promise.resolve();
  return load(tag) ?? Promise.reject(new Error(`Guildkit: nothing loads <${tag}>.`));
}

/**
 * Loads one tag's code if needed and says whether the tag is defined afterwards, never rejecting: for
 * a lazily loaded part whose failure the element shows as a state of its own ("could not be loaded",
 * with a way to try again), rather than as an exception.
 */
export function tagReady(tag: string): Promise<boolean> {
  return loadTag(tag).then(
    () => !!customElements.get(tag),
    () => !!customElements.get(tag),
  );
}

/**
 * Registers the Guildkit tags found under `root`, loading each element's code the first time its tag
 * appears. The page's document is watched automatically; call this for shadow roots that render
 * Guildkit tags (the document's observer cannot see inside them).
 */
export function discover(root: ParentNode = document): Promise<void> {
  const found: Promise<void>[] = [];
  const visit = (element: Element) => {
    const pending = load(element.localName);
    if (pending) found.push(pending);
  };
  if (root instanceof Element) visit(root);
  for (const tag of loaders.keys()) {
    if (!customElements.get(tag) && root.querySelector(tag)) visit(root.querySelector(tag) as Element);
  }
  return Promise.all(found).then(() => undefined);
}

/**
 * Watches the document for the given tags and loads each one's code on first sight, so a page pays
 * only for the elements it shows.
 */
export function autoload(tags: Record<string, TagLoader>): void {
  for (const [tag, loader] of Object.entries(tags)) loaders.set(tag, loader);
  void discover(document);
  if (observer) return;
  observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof Element) void discover(node);
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
}
