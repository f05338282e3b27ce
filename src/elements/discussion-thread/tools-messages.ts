import type { Formatters } from '../../internal/i18n.js';

/*
 * The strings only writers and actors see, added when the tools' chunk runs so the reading view does
 * not carry them. German is in `messages.de.ts`.
 */

/** The delete, flag and card-draft strings. */
export const commentToolsMessages = {
  confirmDelete: 'Delete this comment?',
  confirmDeleteYes: 'Yes, delete',
  keep: 'Keep it',
  flagLabel: 'Why should a facilitator look at this?',
  flagSend: 'Send to facilitators',
  flagged: 'Thank you: the facilitators will look at it.',
  cardDrafting: 'Making a draft card from this answer…',
  cardDrafted: 'A draft card was made from this answer: finish it below and publish it.',
  cardSourceLink: 'The discussion this card was written from',
  cardOpenDraft: 'Open the draft card',
};

/** The composer's strings and those of posting (added with the tools, which every writer loads). */
export const composerMessages = {
  commentLabel: 'Your comment',
  replyLabel: (_f: Formatters, name: string) => `Your reply to ${name}`,
  editLabel: 'Edit your comment',
  post: 'Comment',
  postAnswer: 'Answer',
  postReply: 'Reply',
  save: 'Save',
  cancel: 'Cancel',
  sending: 'Sending…',
  write: 'Write',
  preview: 'Preview',
  nothingToPreview: 'Nothing to preview yet.',
  markdownHelp: 'Markdown works: **bold**, _italic_, `code`, lists, > quotes, links. Ctrl+Enter sends.',
  tooLong: 'That is longer than 20,000 characters.',
  draftSaved: 'Draft saved on this device.',
  draftNotSaved: 'This browser would not keep a draft: copy your text before leaving.',
  mentionSuggestions: 'People to mention',
  posted: 'Your comment was posted.',
  postFailed: (_f: Formatters, reason: string) => `Your comment was not posted: ${reason} Your text is kept.`,
};
