import { css } from 'lit';

/**
 * What the card and its panel both show: buttons, links, errors and rendered markdown (the panel's
 * history shows earlier bodies). The panel has a shadow root of its own, so it takes these rules from
 * here rather than a copy.
 */
export const cardControlStyles = css`
  .body {
    margin-block: 0.6em;
  }
  .body pre {
    overflow-x: auto;
  }
  .body img {
    max-inline-size: 100%;
  }
  .error {
    margin: 0.5em 0;
    color: var(--_danger);
  }
  a {
    color: var(--_accent);
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    box-sizing: border-box;
    min-block-size: 2.2em;
    padding-inline: 0.8em;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  a:focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--_focus);
  }
`;

export const knowledgeCardStyles = css`
  :host {
    display: block;
    /* Far off screen: no style or layout work until it comes near. Nothing in it overflows its box. */
    content-visibility: auto;
    contain-intrinsic-size: auto 10em;
  }
  .base {
    --_success: var(--guild-color-success, #15803d);
    --_warning: var(--guild-color-warning, #b45309);
    padding: 0.8em 1em;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_surface);
    overflow-wrap: anywhere;
  }
  .base.compact {
    padding: 0.6em 0.8em;
  }
  h2,
  h3 {
    margin: 0;
  }
  h2 {
    font-size: var(--_large);
  }
  .compact h2,
  .list h3 {
    font-size: 1em;
  }
  h2:focus {
    outline: none;
  }
  .related h3 {
    margin-block: 1em 0.4em;
    font-size: 1em;
  }
  .summary {
    margin: 0.3em 0 0;
  }
  .note,
  .meta,
  .people,
  .views {
    color: var(--_muted);
    font-size: var(--_small);
  }
  .note {
    margin: 0.6em 0;
  }
  .meta,
  .people {
    margin: 0.5em 0 0;
  }

  /* Trust: always in view; the colour is a border and a tint, the words carry the meaning. */
  .trust {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25em;
    margin: 0 0 0.5em;
    padding: 0.25em 0.6em;
    border-inline-start: 4px solid var(--_muted);
    border-radius: 4px;
    background: color-mix(in srgb, var(--_muted) 8%, var(--_surface));
    font-size: var(--_small);
  }
  .trust.verified {
    border-color: var(--_success);
    background: color-mix(in srgb, var(--_success) 10%, var(--_surface));
  }
  .trust.needs-review {
    border-color: var(--_warning);
    background: color-mix(in srgb, var(--_warning) 10%, var(--_surface));
  }
  .trust.outdated {
    border-color: var(--_danger);
    background: color-mix(in srgb, var(--_danger) 10%, var(--_surface));
  }
  .compact .trust {
    margin-block: 0.4em 0;
  }
  .badge,
  .trust-chip {
    display: inline-block;
    padding: 0 0.5em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    font-size: var(--_small);
    font-weight: 600;
  }
  .trust-chip {
    font-weight: 400;
    color: var(--_muted);
  }
  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3em;
    margin: 0.5em 0 0;
    padding: 0;
    list-style: none;
  }
  .tags li {
    padding: 0 0.5em;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_text) 8%, var(--_surface));
    font-size: var(--_small);
  }

  button[aria-pressed='true'] {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 12%, var(--_surface));
    font-weight: 600;
  }
  .link {
    min-block-size: 0;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent);
    text-align: start;
    text-decoration: underline;
  }
  .history,
  .helpful,
  .actions {
    margin-block-start: 0.6em;
  }
  .helpful,
  .votes,
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  .helpful .n {
    font-variant-numeric: tabular-nums;
  }
  .notice {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.5em;
    margin-block-end: 0.6em;
    padding: 0.4em 0.6em;
    border: 1px solid var(--_accent);
    border-radius: 8px;
  }
  .notice span {
    flex: 1;
  }
  .related ul,
  .list {
    display: grid;
    gap: 0.4em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .list {
    margin-block-start: 0.6em;
  }
  .list > li {
    padding: 0.5em 0.7em;
    border: 1px solid var(--_border);
    border-radius: 8px;
  }
  .skeleton {
    display: grid;
    gap: 0.5em;
  }
  .skeleton span {
    block-size: 1.1em;
    border-radius: 6px;
    background: color-mix(in srgb, var(--_text) 10%, transparent);
  }
  .skeleton span:first-child {
    inline-size: 60%;
    block-size: 1.4em;
  }
  [hidden] {
    display: none !important;
  }
`;
