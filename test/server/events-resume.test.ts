import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { give, withApp } from './helpers.js';

async function firstChunk(url: string, headers: Record<string, string> = {}): Promise<{ text: string; stop: () => Promise<void> }> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  assert.ok(response.body);
  const reader = response.body.getReader();
  let text = '';
  while (!text.includes(': connected\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  return { text, stop: () => reader.cancel() };
}

describe('resuming the event stream', () => {
  it('gives a fresh connection its resume point at once, so a drop before any event loses nothing', async () => {
    await withApp(async (app) => {
      assert.equal((await give(app, 'linus', { subject: 'resume/a', recipientId: 'ada' })).statusCode, 201);
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/api/events`;
      const first = await firstChunk(url);
      const id = /^id: (\d+)$/m.exec(first.text)?.[1];
      assert.ok(id, `no id on connect in ${JSON.stringify(first.text)}`);
      await first.stop();
      // While disconnected, someone gives kudos; the reconnect replays exactly that.
      assert.equal((await give(app, 'mei', { subject: 'resume/a', recipientId: 'ada' })).statusCode, 201);
      const response = await fetch(url, { headers: { accept: 'text/event-stream', 'last-event-id': id } });
      assert.ok(response.body);
      const reader = response.body.getReader();
      let text = '';
      while (!/data: .*"actorId":"mei"/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await reader.cancel();
      assert.match(text, /"actorId":"mei"/);
      assert.doesNotMatch(text, /"actorId":"linus"/);
    });
  });
});
