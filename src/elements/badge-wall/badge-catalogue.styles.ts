import { css } from 'lit';

/**
 * Added to the wall's shadow root when the catalogue first renders there (see `GuildBadgeCatalogue`).
 * Every rule starts with the tag: it reaches only this part's content, whatever order the sheets were
 * added in (see `joinStyles`).
 */
export const badgeCatalogueStyles = css`
  guild-badge-catalogue {
    display: block;
  }
  /* Recent awards: the celebration view. */
  guild-badge-catalogue .recent {
    display: grid;
    gap: 0.4em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  guild-badge-catalogue .recent li {
    display: flex;
    align-items: center;
    gap: 0.6em;
  }
  guild-badge-catalogue .recent .image {
    inline-size: 2.2em;
    block-size: 2.2em;
    font-size: var(--_small);
  }
  guild-badge-catalogue .link {
    min-block-size: 0;
    padding: 0;
    border: 0;
    background: none;
    color: var(--_accent);
    text-align: start;
    text-decoration: underline;
  }
`;
