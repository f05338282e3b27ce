import { css, unsafeCSS } from 'lit';

/**
 * The dark palette, used by `theme="dark"` and by `theme="auto"` when the system is dark. A plain
 * string of declarations (not a stylesheet), so it is written compactly here and never minified.
 */
const darkTokens = unsafeCSS(
  [
    '--_accent: var(--guild-color-accent-dark, #60a5fa)',
    '--_on-accent: var(--guild-color-on-accent-dark, #0b1220)',
    '--_text: var(--guild-color-text-dark, #e5e7eb)',
    '--_muted: var(--guild-color-muted-dark, #9ca3af)',
    '--_surface: var(--guild-color-surface-dark, #111827)',
    '--_border: var(--guild-color-border-dark, #374151)',
    '--_danger: var(--guild-color-danger-dark, #fca5a5)',
  ].join(';'),
);

/**
 * Type and the visually-hidden utility, for every shadow root Guildkit renders. Type is set inside the
 * shadow root, in px: the host page's rules reach the host element itself (a stray
 * "* { font-size: 3em }" would), never what is inside it. The font family is inherited.
 *
 * Three sizes (`--_small`, the base, `--_large`, each a fixed share of the base, so small text inside
 * small text stays the same size when the base is given in px) and two weights (400 and 600). The
 * browser sets up every size and weight of a font once per page before it can lay out text in it: on a
 * 2-core machine, ten comments in seven sizes took 24 ms of first layout against 11 ms in one size.
 */
export const nestedStyles = css`
  [part='base'] {
    --_small: calc(var(--guild-font-size, 15px) * 0.875);
    --_large: calc(var(--guild-font-size, 15px) * 1.15);
    font-family: var(--guild-font-family, inherit);
    font-size: var(--guild-font-size, 15px);
    line-height: 1.4;
    color: var(--_text);
  }
  :is(strong, b, h1, h2, h3, h4, h5, h6, th) {
    font-weight: 600;
  }
  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/**
 * The design tokens every public element reads. Each `--guild-*` property inherits from the host page,
 * so a page themes Guildkit from `:root`; these are only the fallbacks. Parts that load later inside
 * an element (the composer, the card editor, a popover) take `nestedStyles` only: they inherit the
 * tokens of the element they sit in, dark palette included, rather than declaring the light ones again.
 */
export const themeStyles = [
  css`
    [part='base'] {
      --_accent: var(--guild-color-accent, #2563eb);
      --_on-accent: var(--guild-color-on-accent, #ffffff);
      --_text: var(--guild-color-text, #1f2937);
      --_muted: var(--guild-color-muted, #4b5563);
      --_surface: var(--guild-color-surface, #ffffff);
      --_border: var(--guild-color-border, #d1d5db);
      --_danger: var(--guild-color-danger, #b91c1c);
      --_radius: var(--guild-radius, 999px);
      --_focus: var(--guild-focus-ring, 0 0 0 3px color-mix(in srgb, var(--_accent) 45%, transparent));
    }
    :host([theme='dark']) [part='base'] {
      ${darkTokens}
    }
    @media (prefers-color-scheme: dark) {
      :host([theme='auto']) [part='base'] {
        ${darkTokens}
      }
    }
  `,
  nestedStyles,
];
