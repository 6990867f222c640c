// A small store: one state object, changed only through update(), watched by slices (TutorialKit's runtime store
// of nanostores atoms is the model). Views derive what they show from it; nothing else holds the page's state.

export type Listener<S> = (state: S, previous: S) => void;

export class Store<S extends object> {
  #state: S;
  readonly #listeners = new Set<Listener<S>>();

  constructor(initial: S) {
    this.#state = Object.freeze({ ...initial });
  }

  get state(): S {
    return this.#state;
  }

  /** Merges `patch` (or what `patch(state)` returns) into the state; listeners hear of it only if a field changed. */
  update(patch: Partial<S> | ((state: S) => Partial<S>)): void {
    const changes = typeof patch === 'function' ? patch(this.#state) : patch;
    const changed = Object.keys(changes).some((key) => !Object.is(changes[key as keyof S], this.#state[key as keyof S]));
    if (!changed) return;
    const previous = this.#state;
    this.#state = Object.freeze({ ...previous, ...changes });
    for (const listener of [...this.#listeners]) listener(this.#state, previous);
  }

  subscribe(listener: Listener<S>): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Calls `listener` with a slice of the state now, and again whenever that slice changes (compared with Object.is,
   * so a selector returns a field or a value built from fields, not a fresh object).
   */
  watch<T>(select: (state: S) => T, listener: (value: T, state: S) => void): () => void {
    let last = select(this.#state);
    listener(last, this.#state);
    return this.subscribe((state) => {
      const next = select(state);
      if (Object.is(next, last)) return;
      last = next;
      listener(next, state);
    });
  }
}
