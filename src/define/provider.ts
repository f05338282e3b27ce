import { GuildProvider } from '../elements/provider/provider.js';
import { define } from '../internal/define.js';

define('guild-provider', GuildProvider);
