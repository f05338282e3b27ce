// Reading elements' shadow DOM in browser tests.
import { fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';

export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

/** Text as a reader sees it: white space runs collapsed, ends trimmed. */
export function clean(value: string | null | undefined): string {
  return value?.replace(/\s+/g, ' ').trim() ?? '';
}

/** The text of the first match of `selector` in `el`'s shadow root (`''` when none). */
export function text(el: Element, selector: string): string {
  return clean(shadow(el).querySelector(selector)?.textContent);
}

/** The text of every match of `selector` in `el`'s shadow root. */
export function texts(el: Element, selector: string): string[] {
  return [...shadow(el).querySelectorAll(selector)].map((node) => clean(node.textContent));
}

/** Mounts `element` far off screen: below 4000px of empty page, with the page scrolled to the top. */
export async function farOffScreen<T extends Element>(element: TemplateResult): Promise<T> {
  window.scrollTo(0, 0);
  const wrapper = await fixture(html`<div><div style="block-size: 4000px"></div>${element}</div>`);
  const el = wrapper.lastElementChild as T | null;
  if (!el) throw new Error('missing');
  return el;
}
