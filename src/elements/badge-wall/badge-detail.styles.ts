import { css } from 'lit';

/**
 * Added to the wall's shadow root when the details first render there (see `GuildBadgeDetail`).
 * Every rule starts with the tag: it reaches only this part's content, whatever order the sheets were
 * added in (see `joinStyles`).
 */
export const badgeDetailStyles = css`
  guild-badge-detail {
    display: block;
  }
  guild-badge-detail .meta {
    color: var(--_muted);
    font-size: var(--_small);
  }
  guild-badge-detail a:focus-visible,
  guild-badge-detail input:focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--_focus);
  }
  guild-badge-detail a {
    color: var(--_accent);
  }
  guild-badge-detail .detail-state.revoked {
    color: var(--_danger);
  }
  guild-badge-detail .detail-head {
    display: flex;
    align-items: flex-start;
    gap: 0.8em;
  }
  guild-badge-detail .detail-head .image {
    flex: none;
    inline-size: 5em;
    block-size: 5em;
    font-size: 1.4em;
  }
  guild-badge-detail .detail-head .grow {
    flex: 1;
  }
  guild-badge-detail .detail-head h2 {
    font-size: var(--_large);
  }
  guild-badge-detail .detail-state {
    margin: 0.2em 0 0;
  }
  guild-badge-detail .narrative {
    margin: 0;
    white-space: pre-line;
  }
  guild-badge-detail dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.2em 1em;
    margin: 0;
  }
  guild-badge-detail dt {
    color: var(--_muted);
  }
  guild-badge-detail dd {
    margin: 0;
  }
  guild-badge-detail dd time {
    color: inherit;
    font-size: inherit;
  }
  guild-badge-detail .links {
    margin: 0;
    padding-inline-start: 1.2em;
  }
  guild-badge-detail .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-block-start: 1em;
  }
  guild-badge-detail .copy-field input {
    box-sizing: border-box;
    inline-size: 100%;
    margin-block-start: 0.3em;
    padding: 0.3em;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
  }
`;
