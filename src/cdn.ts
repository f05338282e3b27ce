/**
 * The script-tag bundle's entry (`dist/cdn/guildkit.js`): everything `all.ts` offers, plus the code
 * every element chunk shares. Keeping that shared code in this one file means a page showing any one
 * element loads two scripts — this one and the element's — never a third shared chunk.
 * `shared` is not public API.
 */
export * from './all.js';
export * as shared from './internal/shared.js';
