/**
 * The script-tag entry: reads `data-*` from its own `<script>` tag, then loads each element's code the
 * first time its tag appears on the page, so a page pays only for the elements it shows.
 *
 * ```html
 * <script type="module" src="/guildkit/guildkit.js" data-api="/api" data-token-url="/intranet/guild-token"></script>
 * ```
 *
 * Bundlers that prefer to register elements up front import `guildkit/define/<element>.js` instead.
 */
import { getConnection } from './api/client.js';
import { autoload, type TagLoader } from './internal/autoload.js';
import { configFromScript, configure, pageConfig, resolveConfig } from './internal/config.js';
import { define } from './internal/define.js';
// The base every element shares stays in this file, so one element costs two script requests at most.
export { GuildElement } from './internal/guild-element.js';

export { configure } from './internal/config.js';
export type { GuildConfig, PartialConfig, TokenGetter, AuthMode } from './internal/config.js';
export type { GuildKudosButton, GuildKudosChangeEvent } from './elements/kudos-button/kudos-button.js';
export type { GuildProvider } from './elements/provider/provider.js';
export type { GuildSpotlight } from './elements/spotlight/spotlight.js';
export type { GuildDiscussionThread, GuildCommentPostedEvent } from './elements/discussion-thread/discussion-thread.js';
export type { GuildBadgeWall, GuildBadgeOpenEvent } from './elements/badge-wall/badge-wall.js';
export type { GuildKnowledgeCard, GuildCardSavedEvent, GuildCardOpenEvent } from './elements/knowledge-card/knowledge-card.js';
export { GuildApiError } from './api/errors.js';
export { VERSION } from './internal/define.js';
export { discover } from './internal/autoload.js';

function ownScript(): HTMLScriptElement | undefined {
  const here = import.meta.url;
  return [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((script) => script.src === here);
}

const script = ownScript();
if (script) configure(configFromScript(script));

const tags: Record<string, TagLoader> = {
  'guild-provider': () => import('./define/provider.js'),
  'guild-kudos-button': () =>
    import('./elements/kudos-button/kudos-button.js').then(({ GuildKudosButton }) => define('guild-kudos-button', GuildKudosButton)),
  // The thread's composer is its own chunk, fetched the first time someone writes.
  // The markdown renderer is requested beside the element that imports it, not after it arrives.
  'guild-discussion-thread': () =>
    Promise.all([import('./elements/discussion-thread/discussion-thread.js'), import('./internal/markdown.js')]).then(([{ GuildDiscussionThread }]) =>
      define('guild-discussion-thread', GuildDiscussionThread),
    ),
  'guild-comment-composer': () => import('./elements/discussion-thread/composer.js'),
  'guild-comment-tools': () => import('./elements/discussion-thread/comment-tools.js').then(({ GuildCommentTools }) => define('guild-comment-tools', GuildCommentTools)),
  'guild-kudos-popover': () => import('./elements/kudos-button/kudos-popover.js'),
  'guild-spotlight': () => import('./define/spotlight.js'),
  // The credential verification (with its cryptography) is its own chunk, fetched when a badge's details open.
  'guild-badge-wall': () => import('./elements/badge-wall/badge-wall.js').then(({ GuildBadgeWall }) => define('guild-badge-wall', GuildBadgeWall)),
  'guild-badge-catalogue': () => import('./elements/badge-wall/badge-catalogue.js').then(({ GuildBadgeCatalogue }) => define('guild-badge-catalogue', GuildBadgeCatalogue)),
  'guild-badge-detail': () => import('./elements/badge-wall/badge-detail.js').then(({ GuildBadgeDetail }) => define('guild-badge-detail', GuildBadgeDetail)),
  'guild-badge-verification': () =>
    import('./elements/badge-wall/badge-verification.js').then(({ GuildBadgeVerification }) => define('guild-badge-verification', GuildBadgeVerification)),
  // The card's editor is its own chunk, fetched the first time someone writes or edits a card.
  'guild-knowledge-card': () =>
    Promise.all([import('./elements/knowledge-card/knowledge-card.js'), import('./internal/markdown.js')]).then(([{ GuildKnowledgeCard }]) =>
      define('guild-knowledge-card', GuildKnowledgeCard),
    ),
  'guild-card-editor': () => import('./elements/knowledge-card/card-editor.js').then(({ GuildCardEditor }) => define('guild-card-editor', GuildCardEditor)),
  'guild-card-panel': () => import('./elements/knowledge-card/card-panel.js').then(({ GuildCardPanel }) => define('guild-card-panel', GuildCardPanel)),
};
autoload(tags);

// The page's token is fetched while the first element's code downloads rather than after it runs: on
// a cold page that takes the token's round trip off the time to first content. Only for pages whose
// elements all use the script tag's settings (a provider may point its elements elsewhere).
const pageSettings = resolveConfig({}, undefined, pageConfig.get());
if (script && pageSettings.tokenUrl && pageSettings.auth === 'bearer' && !document.querySelector('guild-provider') && document.querySelector(Object.keys(tags).join())) {
  getConnection(pageSettings).tokens.token().catch(() => undefined);
}
