import { GuildSpotlight } from '../elements/spotlight/spotlight.js';
import { define } from '../internal/define.js';

define('guild-spotlight', GuildSpotlight);
