import './kudos-button.js';
// An accepted answer turned into a card opens the card's editor right under it.
import './knowledge-card.js';
import '../elements/discussion-thread/composer.js';
import { GuildCommentTools } from '../elements/discussion-thread/comment-tools.js';
import { GuildDiscussionThread } from '../elements/discussion-thread/discussion-thread.js';
import { define } from '../internal/define.js';

define('guild-comment-tools', GuildCommentTools);
define('guild-discussion-thread', GuildDiscussionThread);
