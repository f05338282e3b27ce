import { GuildCardEditor } from '../elements/knowledge-card/card-editor.js';
import { GuildCardPanel } from '../elements/knowledge-card/card-panel.js';
import { GuildKnowledgeCard } from '../elements/knowledge-card/knowledge-card.js';
import { define } from '../internal/define.js';

// Registered by name, not by a side-effect import: bundlers drop those from `src/elements/` (see `sideEffects`).
define('guild-card-editor', GuildCardEditor);
define('guild-card-panel', GuildCardPanel);
define('guild-knowledge-card', GuildKnowledgeCard);
