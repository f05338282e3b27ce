/** Up to two initials of a name, for an avatar without a picture. */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0] ?? '')
    .join('')
    .toUpperCase();
}

/** The subject a widget is about when the page names none: its canonical URL's path. */
export function pageSubject(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  // Commas separate subjects in a batch read: a path keeps its meaning with them encoded.
  return new URL(canonical ?? location.href).pathname.replace(/,/g, '%2C');
}
