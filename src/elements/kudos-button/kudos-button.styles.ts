import { css } from 'lit';

export const kudosButtonStyles = css`
  :host {
    display: inline-block;
    /* The contained base has no text baseline to offer: centred, a one-line button sits in a line of
       text where it did. */
    vertical-align: middle;
  }
  /* A button far off screen costs no style or layout until it comes near (a page of a hundred buttons
     lays out only those in view). The focus ring fits in the padding, which the margin takes back, so
     the containment stays put as focus moves; an open popover lifts it. */
  .base {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25em 0.5em;
    padding: 4px;
    margin: -4px;
    content-visibility: auto;
    contain-intrinsic-size: auto 7em auto 2.4em;
  }
  .base.open {
    content-visibility: visible;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.375em;
    min-block-size: 2.4em;
    padding-block: 0.25em;
    padding-inline: 0.8em;
    border: 1px solid var(--guild-kudos-button-border-color, var(--_border));
    border-radius: var(--guild-kudos-button-radius, var(--_radius));
    background: var(--guild-kudos-button-background, var(--_surface));
    color: var(--guild-kudos-button-color, var(--_text));
    font: inherit;
    line-height: 1.2;
    cursor: pointer;
  }
  button:hover {
    border-color: var(--_accent);
  }
  button:focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--_focus);
  }
  button[aria-pressed='true'] {
    background: var(--guild-kudos-button-pressed-background, var(--_accent));
    border-color: var(--guild-kudos-button-pressed-background, var(--_accent));
    color: var(--guild-kudos-button-pressed-color, var(--_on-accent));
  }
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.75;
  }
  button[aria-busy='true'] {
    cursor: progress;
  }
  .icon {
    flex: none;
    inline-size: 1.1em;
    block-size: 1.1em;
  }
  .count {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .skeleton {
    display: inline-block;
    inline-size: 1.5em;
    block-size: 0.9em;
    border-radius: 4px;
    background: color-mix(in srgb, var(--_text) 15%, transparent);
  }
  .anchor {
    position: relative;
    display: inline-flex;
  }
  button.more {
    min-inline-size: 2.4em;
    justify-content: center;
    padding-inline: 0.5em;
  }
  .givers {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
  }
  .avatars {
    display: inline-flex;
    align-items: center;
  }
  .avatar {
    display: inline-grid;
    place-items: center;
    inline-size: 1.7em;
    block-size: 1.7em;
    margin-inline-start: -0.35em;
    border: 2px solid var(--_surface);
    border-radius: 50%;
    background: color-mix(in srgb, var(--_accent) 18%, var(--_surface));
    color: var(--_text);
    font-size: var(--_small);
    font-weight: 600;
  }
  .avatar:first-child {
    margin-inline-start: 0;
  }
  .others {
    margin-inline-start: 0.4em;
    color: var(--_muted);
    font-size: var(--_small);
  }
  .note {
    color: var(--_muted);
    font-size: var(--_small);
  }
  .error {
    color: var(--_danger);
    font-size: var(--_small);
  }
  .retry {
    min-block-size: 1.9em;
    padding-inline: 0.5em;
    border-radius: 6px;
  }
  @media (prefers-reduced-motion: no-preference) {
    button[aria-pressed='true'] .icon {
      animation: guild-kudos-pop 300ms ease-out;
    }
  }
  @keyframes guild-kudos-pop {
    0% { transform: scale(1); }
    50% { transform: scale(1.35); }
    100% { transform: scale(1); }
  }
`;
