/** The contract's `Subject`: checked before asking, so one bad subject fails its own element, not a whole batch. */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const SUBJECT = /^[^\s,\x00-\x1F\x7F\u202A-\u202E\u2066-\u2069]{1,512}$/u;

export function isValidSubject(subject: string): boolean {
  return SUBJECT.test(subject);
}
