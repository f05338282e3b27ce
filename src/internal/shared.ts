/** The modules more than one element uses; see `cdn.ts` for why they are gathered here. */
export * from '../stores/session.js';
export * from '../stores/live.js';
export * from '../stores/batch.js';
export * from '../stores/request.js';
export * from '../stores/subject.js';
export * from '../stores/communities.js';
export * from './safe-url.js';
export * from './store-controller.js';
export * from './people.js';
export * from './theme.js';
export { map, onMount } from 'nanostores';
// Not here on purpose: markdown.ts (the thread and the card share it as a chunk of its own, so pages
// without either never load it) and drafts.ts (a module here that uses nanostores' `map` and is
// imported by a lazy chunk makes Rolldown split nanostores' `atom` into a chunk every page loads).
