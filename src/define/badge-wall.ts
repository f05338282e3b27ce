import { GuildBadgeCatalogue } from '../elements/badge-wall/badge-catalogue.js';
import { GuildBadgeDetail } from '../elements/badge-wall/badge-detail.js';
import { GuildBadgeVerification } from '../elements/badge-wall/badge-verification.js';
import { GuildBadgeWall } from '../elements/badge-wall/badge-wall.js';
import { define } from '../internal/define.js';

// Registered by name, not by a side-effect import: bundlers drop those from `src/elements/` (see `sideEffects`).
define('guild-badge-catalogue', GuildBadgeCatalogue);
define('guild-badge-detail', GuildBadgeDetail);
define('guild-badge-verification', GuildBadgeVerification);
define('guild-badge-wall', GuildBadgeWall);
