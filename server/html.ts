/** Text made safe inside HTML, XML and quoted attribute values: the five special characters as references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
