import type { en } from './en.js';

/** German for the shared strings; loaded only on pages (or elements) that speak German. */
export default {
  you: 'dir',
  retry: 'Erneut versuchen',
  errorOffline: 'das Netzwerk ist nicht erreichbar.',
  errorTimeout: 'der Server hat zu lange nicht geantwortet.',
  errorSignIn: 'deine Anmeldung ist abgelaufen; lade die Seite neu.',
  errorForbidden: 'das darfst du nicht.',
  errorServer: 'der Server hatte ein Problem; versuch es gleich noch einmal.',
  errorAlreadyGiven: 'du hast hier schon Kudos gegeben.',
  errorSelf: 'Kudos sind ein Dank an andere.',
} satisfies typeof en;
