import { expect, waitUntil } from '@open-wc/testing';
import { translator } from '../../src/internal/i18n.js';
import { nextTask } from './mock-api.js';

/**
 * The browser's first Intl formatter costs tens of milliseconds of one main-thread task. Elements that
 * show dates have a worker pay it while they wait for their data; where the page allows no worker, the
 * formatters are made in idle slots instead.
 */
describe('locale data warm-up', () => {
  const RealWorker = window.Worker;
  const realIdle = window.requestIdleCallback;
  let idleCalls = 0;

  beforeEach(() => {
    idleCalls = 0;
    window.requestIdleCallback = (run, options) => {
      idleCalls += 1;
      return realIdle(run, options);
    };
  });

  afterEach(() => {
    window.Worker = RealWorker;
    window.requestIdleCallback = realIdle;
  });

  it('loads the locale data in a worker, sent the language, and makes nothing on the main thread', async () => {
    const sent: unknown[] = [];
    let answered = 0;
    let terminated = 0;
    window.Worker = class extends RealWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('message', () => (answered += 1));
      }
      override postMessage(message: unknown): void {
        sent.push(message);
        super.postMessage(message);
      }
      override terminate(): void {
        terminated += 1;
        super.terminate();
      }
    };
    const i18n = translator('fr-CA');
    i18n.warmUp();
    i18n.warmUp();
    await waitUntil(() => terminated === 1, 'the worker never finished', { timeout: 5000 });
    expect(sent).to.deep.equal(['fr-CA']);
    expect(answered).to.equal(1);
    await nextTask(100);
    expect(idleCalls).to.equal(0);
    // The formatters still work, in the element's language.
    expect(i18n.formatters.number(12345.5)).to.equal(new Intl.NumberFormat('fr-CA').format(12345.5));
  });

  it('makes the formatters in idle slots where the page forbids workers', async () => {
    window.Worker = class {
      constructor() {
        throw new DOMException('Refused by the page’s Content Security Policy', 'SecurityError');
      }
    } as unknown as typeof Worker;
    translator('es-MX').warmUp();
    // One idle slot per kind of formatter, one after the other.
    await waitUntil(() => idleCalls >= 5, `only ${idleCalls} idle slots`, { timeout: 5000 });
  });

  it('falls back to idle slots when the worker fails', async () => {
    window.Worker = class extends RealWorker {
      constructor(_url: string | URL, options?: WorkerOptions) {
        super(URL.createObjectURL(new Blob(['throw new Error("no Intl here")'], { type: 'text/javascript' })), options);
      }
    };
    translator('pt-BR').warmUp();
    await waitUntil(() => idleCalls >= 1, 'no idle warm-up after the worker failed', { timeout: 5000 });
  });
});
