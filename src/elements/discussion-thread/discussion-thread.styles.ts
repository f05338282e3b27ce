import { css } from 'lit';

/**
 * The controls the thread and its tools both show: buttons, links and errors. The tools have a shadow
 * root of their own, so they take these rules from here rather than a copy.
 */
export const threadControlStyles = css`
  a {
    color: var(--_accent);
  }
  button,
  select {
    min-block-size: 2em;
    padding-inline: 0.7em;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    font-size: var(--_small);
    cursor: pointer;
  }
  .error {
    color: var(--_danger);
  }
`;

export const threadStyles = css`
  :host {
    display: block;
  }
  .base {
    display: block;
    background: var(--_surface);
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin-block-end: 0.75em;
  }
  .title {
    margin: 0;
    font-size: var(--_large);
  }
  .grow {
    flex: 1;
  }
  .list {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .list .list {
    margin-inline-start: var(--guild-thread-indent, 1.5em);
    padding-inline-start: 0.75em;
    border-inline-start: 2px solid var(--_border);
  }
  .list .list .list .list {
    margin-inline-start: 0;
    padding-inline-start: 0;
    border-inline-start: 0;
  }
  .item {
    /* Comments far off screen cost little to lay out and paint. */
    content-visibility: auto;
    contain-intrinsic-size: auto 8em;
  }
  .comment {
    margin-block: 0.5em;
    padding: 0.6em 0.75em;
    border: 1px solid var(--_border);
    border-radius: 10px;
  }
  .comment.accepted {
    border-color: var(--_accent);
    border-width: 2px;
  }
  .comment.question {
    background: color-mix(in srgb, var(--_accent) 6%, var(--_surface));
  }
  .comment.muted .placeholder,
  .placeholder {
    color: var(--_muted);
    font-style: italic;
  }
  .comment.sending {
    opacity: 0.7;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em;
    color: var(--_muted);
    font-size: var(--_small);
  }
  .who strong {
    color: var(--_text);
  }
  .avatar {
    display: inline-grid;
    place-items: center;
    inline-size: 1.7em;
    block-size: 1.7em;
    border-radius: 50%;
    background: color-mix(in srgb, var(--_accent) 18%, var(--_surface));
    color: var(--_text);
    font-size: var(--_small);
    font-weight: 600;
    object-fit: cover;
  }
  .badge {
    padding: 0.05em 0.5em;
    border: 1px solid var(--_border);
    border-radius: 999px;
    color: var(--_text);
    font-size: var(--_small);
  }
  .accepted-badge {
    border-color: var(--_accent);
    color: var(--_accent);
    font-weight: 600;
  }
  .body {
    overflow-wrap: anywhere;
  }
  .body pre {
    overflow-x: auto;
    padding: 0.5em;
    border-radius: 6px;
    background: color-mix(in srgb, var(--_text) 7%, transparent);
  }
  .body blockquote {
    margin-inline: 0;
    padding-inline-start: 0.75em;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
  .body img {
    max-inline-size: 100%;
  }
  .reactions,
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.35em;
    margin-block-start: 0.4em;
  }
  .actions button {
    border-color: transparent;
    color: var(--_muted);
  }
  .actions button:hover {
    border-color: var(--_border);
    color: var(--_text);
  }
  button:focus-visible,
  select:focus-visible,
  a:focus-visible,
  .comment:focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--_focus);
  }
  button[aria-pressed='true'] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 12%, var(--_surface));
  }
  button[aria-disabled='true'] {
    cursor: default;
  }
  .reaction {
    position: relative;
  }
  .reactions button {
    border-radius: var(--_radius);
  }
  .tip {
    position: absolute;
    z-index: 1;
    inset-block-end: calc(100% + 4px);
    inset-inline-start: 0;
    display: none;
    inline-size: max-content;
    max-inline-size: 18em;
    padding: 0.3em 0.5em;
    border-radius: 6px;
    background: var(--_text);
    color: var(--_surface);
    font-size: var(--_small);
  }
  .reaction:hover .tip,
  .reaction:focus-within .tip {
    display: block;
  }
  .more,
  .new,
  .start {
    margin-block: 0.4em;
  }
  .more.d1 {
    margin-inline-start: calc(1 * var(--guild-thread-indent, 1.5em));
  }
  .more.d2 {
    margin-inline-start: calc(2 * var(--guild-thread-indent, 1.5em));
  }
  .more.d3 {
    margin-inline-start: calc(3 * var(--guild-thread-indent, 1.5em));
  }
  .new {
    border-color: var(--_accent);
    color: var(--_accent);
    font-weight: 600;
  }
  .start {
    inline-size: 100%;
    min-block-size: 2.6em;
    color: var(--_muted);
    text-align: start;
  }
  .compose {
    margin-block-start: 0.75em;
  }
  .note,
  .empty,
  .signin {
    color: var(--_muted);
  }
  .in-reply {
    margin: 0.2em 0 0;
    font-size: var(--_small);
  }
  .skeleton {
    display: grid;
    gap: 0.6em;
  }
  .skeleton span {
    block-size: 3.5em;
    border-radius: 10px;
    background: color-mix(in srgb, var(--_text) 10%, transparent);
  }
  .count-view a {
    color: var(--_accent);
  }
  .link {
    border: 0;
    padding: 0;
    background: none;
    color: var(--_accent);
    text-decoration: underline;
  }
  /* "Written up as a card: …" under a question's header. */
  .written {
    margin: 0.4em 0;
    padding: 0;
    list-style: none;
  }
`;
