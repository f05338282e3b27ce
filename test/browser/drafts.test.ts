import { expect } from '@open-wc/testing';
import { openDraft, type Draft } from '../../src/stores/drafts.js';
import { nextTask } from './mock-api.js';

let counter = 0;
function draftId(): string {
  counter += 1;
  return `test:${counter}:${Math.random().toString(36).slice(2)}`;
}

/** What another tab does: write the shared entry, and the browser tells this tab. */
function otherTabWrites(id: string, text: string): void {
  const key = `guildkit:draft:${id}`;
  const newValue = JSON.stringify({ text, savedAt: Date.now(), tab: 'other-tab' });
  localStorage.setItem(key, newValue);
  window.dispatchEvent(new StorageEvent('storage', { key, newValue, storageArea: localStorage }));
}

/** A storage that is full: every write throws as browsers do. */
function fullStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem: () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  };
}

describe('drafts', () => {
  const open: Draft[] = [];
  function draft(id: string, options: Parameters<typeof openDraft>[1] = { debounceMs: 10 }): Draft {
    const handle = openDraft(id, options);
    open.push(handle);
    return handle;
  }

  afterEach(() => {
    for (const handle of open.splice(0)) handle.close();
  });

  it('stores what is typed after a pause and restores it after a reload', async () => {
    const id = draftId();
    const first = draft(id);
    first.update('Half a tho');
    first.update('Half a thought about code review');
    expect(localStorage.getItem(`guildkit:draft:${id}`)).to.equal(null);
    await nextTask(30);
    expect(first.$state.get().savedAt).to.be.a('number');
    first.close();
    const reopened = draft(id);
    expect(reopened.$state.get().text).to.equal('Half a thought about code review');
  });

  it('is removed only when cleared after the server confirmed', () => {
    const id = draftId();
    const handle = draft(id);
    handle.update('Sent soon');
    handle.flush();
    expect(localStorage.getItem(`guildkit:draft:${id}`)).to.contain('Sent soon');
    handle.clear();
    expect(localStorage.getItem(`guildkit:draft:${id}`)).to.equal(null);
    expect(handle.$state.get().text).to.equal('');
  });

  it('warns visibly when the browser refuses to store, and keeps the text', async () => {
    const handle = draft(draftId(), { debounceMs: 1, storage: fullStorage() });
    handle.update('Important words');
    await nextTask(10);
    expect(handle.$state.get()).to.include({ text: 'Important words', warning: 'not-saved' });
  });

  it('follows another tab while nothing was typed here', () => {
    const id = draftId();
    const handle = draft(id);
    otherTabWrites(id, 'Typed in the other tab');
    expect(handle.$state.get()).to.include({ text: 'Typed in the other tab', warning: undefined });
  });

  it('never silently overwrites: a change elsewhere during typing keeps both until the person chooses', async () => {
    const id = draftId();
    const handle = draft(id);
    handle.update('Mine, unsaved');
    otherTabWrites(id, 'Theirs');
    expect(handle.$state.get()).to.include({ text: 'Mine, unsaved', warning: 'changed-elsewhere', elsewhere: 'Theirs' });
    await nextTask(30);
    // The pending save did not write over the other tab's text.
    expect(localStorage.getItem(`guildkit:draft:${id}`)).to.contain('Theirs');
    handle.resolve('mine');
    expect(handle.$state.get()).to.include({ text: 'Mine, unsaved', warning: undefined });
    expect(localStorage.getItem(`guildkit:draft:${id}`)).to.contain('Mine, unsaved');
  });

  it('keeps what is typed during an open conflict, set aside for this tab', async () => {
    const id = draftId();
    const handle = draft(id);
    handle.update('Mine');
    otherTabWrites(id, 'Theirs');
    handle.update('Mine, and more typed while undecided');
    await nextTask(30);
    const aside = Object.keys(localStorage).filter((key) => key.startsWith(`guildkit:draft:${id}:tab:`));
    expect(aside).to.have.length(1);
    expect(localStorage.getItem(aside[0] ?? '')).to.contain('Mine, and more typed while undecided');
    handle.resolve('mine');
    expect(Object.keys(localStorage).filter((key) => key.startsWith(`guildkit:draft:${id}:tab:`))).to.deep.equal([]);
  });

  it('can take the other tab’s text instead', () => {
    const id = draftId();
    const handle = draft(id);
    handle.update('Mine');
    otherTabWrites(id, 'Theirs, better');
    handle.resolve('elsewhere');
    expect(handle.$state.get().text).to.equal('Theirs, better');
  });

  it('notices a change elsewhere it was not told about before writing over it', () => {
    const id = draftId();
    const handle = draft(id);
    handle.update('Start');
    handle.flush();
    localStorage.setItem(`guildkit:draft:${id}`, JSON.stringify({ text: 'Changed silently', savedAt: Date.now(), tab: 'other-tab' }));
    handle.update('Start, continued');
    handle.flush();
    expect(handle.$state.get()).to.include({ warning: 'changed-elsewhere', elsewhere: 'Changed silently' });
    expect(localStorage.getItem(`guildkit:draft:${id}`)).to.contain('Changed silently');
  });

  it('stores the last keystrokes when the page goes away', () => {
    const id = draftId();
    const handle = draft(id, { debounceMs: 10_000 });
    handle.update('Typed just before closing the tab');
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(localStorage.getItem(`guildkit:draft:${id}`)).to.contain('Typed just before closing the tab');
  });
});
