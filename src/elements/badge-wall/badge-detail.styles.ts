import { css } from 'lit';

/** Added to the wall's shadow root when the details first render there (see `GuildBadgeDetail`). */
export const badgeDetailStyles = css`
  guild-badge-detail {
    display: block;
  }
  .meta {
    color: var(--_muted);
    font-size: 0.9em;
  }
  a:focus-visible,
  input:focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--_focus);
  }
  a {
    color: var(--_accent);
  }
  .detail-state.revoked {
    color: var(--_danger);
  }
  .detail-head {
    display: flex;
    align-items: flex-start;
    gap: 0.8em;
  }
  .detail-head .image {
    flex: none;
    inline-size: 5em;
    block-size: 5em;
    font-size: 1.4em;
  }
  .detail-head .grow {
    flex: 1;
  }
  .detail-head h2 {
    font-size: 1.2em;
  }
  .detail-state {
    margin: 0.2em 0 0;
  }
  .narrative {
    margin: 0;
    white-space: pre-line;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.2em 1em;
    margin: 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
  }
  dd time {
    color: inherit;
    font-size: inherit;
  }
  .links {
    margin: 0;
    padding-inline-start: 1.2em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-block-start: 1em;
  }
  .copy-field input {
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
