import { css } from 'lit';

export const badgeWallStyles = css`
  :host {
    display: block;
    /* The grid follows the width it is given (an LMS side block, a full page), not the viewport's.
       The host is the container, not the base: a base that was both a container and
       content-visibility: auto was sometimes left unrendered by Chromium when it was first drawn
       off screen. Its badges could not take focus, and it could stay blank once scrolled to (11 of
       141 loads of the demo; none in 120 with the container here). The host's font size is the
       base's, so the breakpoint below is in the same units as before. */
    container: guild-badge-wall / inline-size;
    font-size: var(--guild-font-size, 15px);
  }
  .base {
    /* Far off screen: no style or layout work until it comes near. Nothing in it draws outside its
       box (the celebration rings within the padding); while a badge's dialog is open, the wall is
       not contained at all, so the dialog never depends on where the wall is. */
    content-visibility: auto;
    contain-intrinsic-size: auto 12em;
    padding: 0.8em 1em;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_surface);
  }
  .base.showing {
    content-visibility: visible;
  }
  h2,
  h3,
  h4 {
    margin: 0;
  }
  h2 {
    font-size: var(--_large);
  }
  h3 {
    margin-block: 1em 0.5em;
    font-size: 1em;
  }
  .summary,
  .note,
  time {
    color: var(--_muted);
    font-size: var(--_small);
  }
  .summary {
    margin: 0.2em 0 0;
  }
  .note {
    margin: 0.6em 0;
  }
  .error {
    color: var(--_danger);
  }
  button,
  .button {
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
    text-decoration: none;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid transparent;
    box-shadow: var(--_focus);
  }

  /* Filter: a radio group drawn as chips. */
  .filter {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em;
    margin: 0.8em 0;
    padding: 0;
    border: 0;
  }
  .filter legend {
    margin-block-end: 0.3em;
    padding: 0;
    font-size: var(--_small);
  }
  .chip {
    position: relative;
    display: inline-flex;
    align-items: center;
    padding: 0.2em 0.8em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    font-size: var(--_small);
    cursor: pointer;
  }
  .chip input {
    position: absolute;
    inset: 0;
    margin: 0;
    border-radius: inherit;
    opacity: 0;
    cursor: pointer;
  }
  .chip:has(input:checked) {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .chip:has(input:focus-visible) {
    box-shadow: var(--_focus);
  }

  /* The grid: one column of rows in a side block, cards from a medium width on. */
  .grid {
    display: grid;
    grid-template-columns: 1fr;
    gap: 0.6em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .card {
    position: relative;
    display: grid;
    grid-template-columns: 3em 1fr;
    grid-template-areas: 'image name' 'image status' 'image tags';
    column-gap: 0.7em;
    align-content: start;
    padding: 0.6em;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_surface);
  }
  .card:focus-within {
    box-shadow: var(--_focus);
  }
  /* 30em inside the base: its padding and border are part of the host's width. */
  @container guild-badge-wall (min-width: calc(32em + 2px)) {
    .grid {
      grid-template-columns: repeat(auto-fill, minmax(10.5em, 1fr));
    }
    .card {
      grid-template-columns: 1fr;
      grid-template-areas: 'image' 'name' 'status' 'tags';
      justify-items: center;
      text-align: center;
    }
    .card .image {
      inline-size: 4.5em;
      block-size: 4.5em;
      margin-block-end: 0.4em;
    }
  }
  .card .image {
    grid-area: image;
  }
  .card .name {
    grid-area: name;
    font-size: 1em;
  }
  .card .status {
    grid-area: status;
    font-size: var(--_small);
  }
  .card .tags {
    grid-area: tags;
  }
  /* The name's button covers the whole card: a click anywhere opens the details. */
  .open {
    display: inline;
    min-block-size: 0;
    padding: 0;
    border: 0;
    background: none;
    color: inherit;
    font-weight: 600;
    text-align: inherit;
  }
  .open::after {
    content: '';
    position: absolute;
    inset: 0;
    border-radius: 10px;
  }
  .open:focus-visible {
    box-shadow: none;
  }
  .image {
    display: grid;
    place-items: center;
    inline-size: 3em;
    block-size: 3em;
    overflow: hidden;
    border-radius: 50%;
    background: color-mix(in srgb, var(--_accent) 16%, var(--_surface));
    color: var(--_text);
    font-weight: 600;
    object-fit: cover;
  }
  /* Not earned (yet, or any more): the badge in grey. Initials keep their contrast. */
  .locked img.image,
  .in-progress img.image {
    filter: grayscale(1);
    opacity: 0.55;
  }
  .revoked img.image,
  .expired img.image {
    filter: grayscale(1);
  }
  .locked span.image,
  .in-progress span.image,
  .revoked span.image,
  .expired span.image {
    background: color-mix(in srgb, var(--_text) 8%, var(--_surface));
    color: var(--_muted);
  }
  .label {
    display: inline-block;
    padding: 0 0.5em;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    font-size: var(--_small);
  }
  .revoked .label {
    color: var(--_danger);
  }
  .criteria {
    display: -webkit-box;
    margin: 0.2em 0 0;
    overflow: hidden;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
  }
  progress {
    inline-size: 100%;
    block-size: 0.5em;
    accent-color: var(--_accent);
  }
  .tags {
    display: flex;
    flex-wrap: wrap;
    justify-content: inherit;
    gap: 0.25em;
    margin: 0.3em 0 0;
    padding: 0;
    list-style: none;
  }
  .tags li {
    padding: 0 0.45em;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_text) 8%, var(--_surface));
    font-size: var(--_small);
  }

  .skeleton {
    block-size: 4.5em;
    border-radius: 10px;
    background: color-mix(in srgb, var(--_text) 10%, transparent);
  }

  /* A badge that arrived live. */
  @media (prefers-reduced-motion: no-preference) {
    .celebrate {
      animation: guild-badge-celebrate 900ms ease-out;
    }
  }
  .celebrate {
    border-color: var(--_accent);
  }
  /* It grows into place and rings within the wall's padding: the wall is paint-contained (above). */
  @keyframes guild-badge-celebrate {
    0% {
      transform: scale(0.9);
      box-shadow: 0 0 0 0 color-mix(in srgb, var(--_accent) 60%, transparent);
    }
    100% {
      transform: none;
      box-shadow: 0 0 0 10px transparent;
    }
  }

  /* The details dialog. */
  dialog {
    box-sizing: border-box;
    inline-size: min(40em, calc(100vw - 2em));
    max-block-size: calc(100vh - 2em);
    padding: 1em 1.2em;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_surface);
    color: var(--_text);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 45%);
  }
`;
