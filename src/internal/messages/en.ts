/** The English strings every element shares; each element keeps its own in its folder's `messages.ts`. */
export const en = {
  you: 'you',
  retry: 'Try again',
  errorOffline: 'the network is unreachable.',
  errorTimeout: 'the server took too long to answer.',
  errorSignIn: 'your sign-in has expired; reload the page.',
  errorForbidden: 'you are not allowed to do this.',
  errorServer: 'the server had a problem; try again in a moment.',
  errorAlreadyGiven: 'you already gave kudos here.',
  errorSelf: 'kudos are for thanking someone else.',
};
