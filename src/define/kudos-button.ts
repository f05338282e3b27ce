import '../elements/kudos-button/kudos-popover.js';
import { GuildKudosButton } from '../elements/kudos-button/kudos-button.js';
import { define } from '../internal/define.js';

define('guild-kudos-button', GuildKudosButton);
