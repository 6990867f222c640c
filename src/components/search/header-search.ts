// The header's search box as a custom element that owns its DOM: it asks Pagefind as the learner types and lists the
// first hits under the box; Enter still goes to the full results page.
import { runSearch, type SearchHit } from '../../utils/search-client.ts';

/** Wait this long after the last key before searching, so typing a word costs one search, not one per letter. */
const TYPING_PAUSE_MS = 150;
const SHOWN = 6;

export class HeaderSearch extends HTMLElement {
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** the query of the latest search: answers to older ones are dropped when they arrive late */
  #latest = '';

  connectedCallback(): void {
    const input = this.#input();
    input.addEventListener('input', () => this.#queue());
    input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        if (!this.#panel().hidden) this.#links()[0]?.focus();
        else if (input.value.trim().length >= 2) void this.#search(input.value.trim()); // folded away: open again
      } else if (event.key === 'Escape' && !this.#panel().hidden) {
        // The first Escape folds the results and keeps the words (Chromium would clear a search box); a second clears.
        event.preventDefault();
        this.#close();
      }
    });
    this.#panel().addEventListener('keydown', (event) => this.#move(event));
    // Leaving the search (Tab away, a click elsewhere) folds the results away.
    this.addEventListener('focusout', (event) => {
      if (!this.contains(event.relatedTarget as Node | null)) this.#close(false);
    });
  }

  #input = () => this.querySelector<HTMLInputElement>('input')!;
  #panel = () => this.querySelector<HTMLElement>('[data-panel]')!;
  #links = () => [...this.#panel().querySelectorAll<HTMLAnchorElement>('a')];

  #queue(): void {
    clearTimeout(this.#timer);
    const query = this.#input().value.trim();
    if (query.length < 2) {
      this.#latest = '';
      this.#close(false);
      return;
    }
    this.#timer = setTimeout(() => void this.#search(query), TYPING_PAUSE_MS);
  }

  async #search(query: string): Promise<void> {
    this.#latest = query;
    let hits: SearchHit[];
    try {
      hits = await runSearch(query, SHOWN);
    } catch {
      if (query === this.#latest) this.#show(query, [], 'Search works on the built site (npm start): press Enter for the search page.');
      return;
    }
    if (query === this.#latest) this.#show(query, hits);
  }

  #show(query: string, hits: SearchHit[], problem?: string): void {
    const list = this.querySelector<HTMLUListElement>('[data-results]')!;
    list.replaceChildren(...hits.map((hit) => {
      const item = document.createElement('li');
      const link = Object.assign(document.createElement('a'), { href: hit.url, textContent: hit.title });
      const excerpt = document.createElement('p');
      excerpt.innerHTML = hit.excerpt; // Pagefind's excerpt: page text with <mark> around the matches
      item.append(link, excerpt);
      return item;
    }));
    const said = problem ?? (hits.length === 0 ? `Nothing in the lessons or katas mentions “${query}”.` : undefined);
    if (said) {
      const item = Object.assign(document.createElement('li'), { className: 'empty', textContent: said });
      list.append(item);
    }
    this.querySelector<HTMLAnchorElement>('[data-all]')!.href = `/search/?q=${encodeURIComponent(query)}`;
    this.#panel().hidden = false;
    this.querySelector('[data-status]')!.textContent = said
      ?? `${hits.length} result${hits.length === 1 ? '' : 's'} for “${query}”: press the down arrow to go through them.`;
  }

  /** Arrow keys walk the results; Escape goes back to the box. */
  #move(event: KeyboardEvent): void {
    const links = this.#links();
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      this.#close();
    } else if (event.key === 'ArrowDown' && at >= 0) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)]!.focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      if (at === 0) this.#input().focus();
      else links[at - 1]!.focus();
    }
  }

  #close(refocus = true): void {
    this.#panel().hidden = true;
    if (refocus) this.#input().focus();
  }
}
