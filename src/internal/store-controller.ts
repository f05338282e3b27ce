import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

/**
 * Subscribes its host to one store while the host is connected. Swapping the store (a new subject,
 * a new API) unsubscribes from the old one, which lets the old one stop its work.
 */
export class StoreController<T> implements ReactiveController {
  #store: ReadableAtom<T> | undefined;
  #unsubscribe: (() => void) | undefined;
  #connected = false;
  #value: T | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get value(): T | undefined {
    return this.#value;
  }

  get store(): ReadableAtom<T> | undefined {
    return this.#store;
  }

  set store(store: ReadableAtom<T> | undefined) {
    if (store === this.#store) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#store = store;
    this.#value = store?.get();
    if (this.#connected) this.#subscribe();
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#subscribe();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #subscribe(): void {
    if (!this.#store || this.#unsubscribe) return;
    this.#unsubscribe = this.#store.subscribe((value) => {
      this.#value = value;
      this.host.requestUpdate();
    });
  }
}
