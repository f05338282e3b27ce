import './kudos-button.js';
// An accepted answer turned into a card opens the card's editor right under it.
import './knowledge-card.js';
import '../elements/discussion-thread/composer.js';
import { GuildDiscussionThread } from '../elements/discussion-thread/discussion-thread.js';
import { define } from '../internal/define.js';

define('guild-discussion-thread', GuildDiscussionThread);
