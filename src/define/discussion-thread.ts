import './kudos-button.js';
import '../elements/discussion-thread/composer.js';
import { GuildDiscussionThread } from '../elements/discussion-thread/discussion-thread.js';
import { define } from '../internal/define.js';

define('guild-discussion-thread', GuildDiscussionThread);
