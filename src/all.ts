/**
 * The script-tag entry: reads `data-*` from its own `<script>` tag, then registers every element.
 *
 * ```html
 * <script type="module" src="/guildkit/guildkit.js" data-api="/api" data-token-url="/intranet/guild-token"></script>
 * ```
 */
import { configFromScript, configure } from './internal/config.js';
import './define/provider.js';
import './define/kudos-button.js';

export { configure } from './internal/config.js';
export type { GuildConfig, PartialConfig, TokenGetter, AuthMode } from './internal/config.js';
export { GuildKudosButton, GuildKudosChangeEvent } from './elements/kudos-button/kudos-button.js';
export { GuildProvider } from './elements/provider/provider.js';
export { GuildApiError } from './api/errors.js';
export { VERSION } from './internal/define.js';

function ownScript(): HTMLScriptElement | undefined {
  const here = import.meta.url;
  return [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((script) => script.src === here);
}

const script = ownScript();
if (script) configure(configFromScript(script));
