// <dojo-panes>: the workspace's panes. Resizable by pointer and keyboard (role="separator"), sizes remembered, the brief
// foldable, and on a phone one pane at a time behind tabs. It owns its own DOM; the page talks to it through show().

import { DEFAULT_SIZES, LIMITS, PHONE, STORAGE_KEY, clamp, readSizes, sizeAfterKey, type PaneName, type PaneSizes, type SeparatorName } from './pane-sizes.ts';

export type { PaneName } from './pane-sizes.ts';

export class DojoPanes extends HTMLElement {
  #sizes: PaneSizes = { ...DEFAULT_SIZES };
  #phone: MediaQueryList | undefined;
  #current: PaneName = 'code';
  #ready = false;

  connectedCallback(): void {
    if (this.#ready) return;
    this.#ready = true;
    this.#sizes = readSizes(safeRead());
    for (const separator of this.querySelectorAll<HTMLElement>('[data-separator]')) this.#wireSeparator(separator);
    this.querySelector<HTMLButtonElement>('[data-brief-toggle]')?.addEventListener('click', () => this.#setCollapsed(!this.#sizes.briefCollapsed));
    const tabs = [...this.querySelectorAll<HTMLButtonElement>('[data-pane-tab]')];
    for (const tab of tabs) {
      tab.addEventListener('click', () => this.show(tab.dataset.paneTab as PaneName));
      tab.addEventListener('keydown', (event) => {
        const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]!;
        next.focus();
        this.show(next.dataset.paneTab as PaneName);
      });
    }
    this.#phone = matchMedia(PHONE);
    this.#phone.addEventListener('change', () => this.#applyLayout());
    this.#apply();
    this.#applyLayout();
  }

  /** Brings a pane into view: on a phone its tab; elsewhere it is already in view (the brief is unfolded if folded). */
  show(pane: PaneName): void {
    this.#current = pane;
    if (pane === 'brief' && this.#sizes.briefCollapsed && !this.#phone?.matches) this.#setCollapsed(false);
    this.#applyLayout();
  }

  get isPhone(): boolean {
    return this.#phone?.matches ?? false;
  }

  #wireSeparator(separator: HTMLElement): void {
    const name = separator.dataset.separator as SeparatorName;
    const orientation = separator.getAttribute('aria-orientation') === 'horizontal' ? 'horizontal' : 'vertical';
    separator.addEventListener('keydown', (event) => {
      const next = sizeAfterKey(this.#sizes[name], event.key, orientation, LIMITS[name]);
      if (next === undefined) return;
      event.preventDefault();
      this.#resize(name, next);
    });
    separator.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      separator.setPointerCapture(event.pointerId);
      separator.dataset.dragging = '';
      // The size is a share of the box the separator divides: the whole workspace, or the right-hand column.
      const box = (name === 'brief' ? this : separator.parentElement!).getBoundingClientRect();
      const move = (moved: PointerEvent) => {
        const share = orientation === 'vertical' ? (moved.clientX - box.left) / box.width : (moved.clientY - box.top) / box.height;
        this.#resize(name, clamp(share * 100, LIMITS[name]));
      };
      const end = () => {
        delete separator.dataset.dragging;
        separator.removeEventListener('pointermove', move);
        separator.removeEventListener('pointerup', end);
        separator.removeEventListener('pointercancel', end);
      };
      separator.addEventListener('pointermove', move);
      separator.addEventListener('pointerup', end);
      separator.addEventListener('pointercancel', end);
    });
  }

  #resize(name: SeparatorName, size: number): void {
    this.#sizes = { ...this.#sizes, [name]: size };
    this.#apply();
    safeWrite(JSON.stringify(this.#sizes));
  }

  #setCollapsed(collapsed: boolean): void {
    this.#sizes = { ...this.#sizes, briefCollapsed: collapsed };
    this.#apply();
    safeWrite(JSON.stringify(this.#sizes));
  }

  #apply(): void {
    this.style.setProperty('--brief', `${this.#sizes.brief}%`);
    this.style.setProperty('--code', `${this.#sizes.code}%`);
    this.dataset.brief = this.#sizes.briefCollapsed ? 'collapsed' : 'open';
    for (const separator of this.querySelectorAll<HTMLElement>('[data-separator]')) {
      separator.setAttribute('aria-valuenow', String(this.#sizes[separator.dataset.separator as SeparatorName]));
    }
    const toggle = this.querySelector<HTMLButtonElement>('[data-brief-toggle]');
    if (toggle) {
      toggle.setAttribute('aria-expanded', String(!this.#sizes.briefCollapsed));
      toggle.querySelector('[data-brief-toggle-text]')!.textContent = this.#sizes.briefCollapsed ? 'Show the brief' : 'Hide the brief';
    }
  }

  /** Phone: the chosen pane is a tab panel, the others are hidden by CSS. Wider: every pane shows, no tab roles. */
  #applyLayout(): void {
    const phone = this.isPhone;
    for (const pane of this.querySelectorAll<HTMLElement>('[data-pane]')) {
      const current = pane.dataset.pane === this.#current;
      pane.toggleAttribute('data-current', current);
      if (phone) {
        pane.setAttribute('role', 'tabpanel');
        pane.setAttribute('aria-labelledby', `pane-tab-${pane.dataset.pane}`);
      } else {
        pane.removeAttribute('role');
        if (pane.dataset.pane === 'code') pane.removeAttribute('aria-labelledby');
        else pane.setAttribute('aria-labelledby', `${pane.dataset.pane}-title`);
      }
    }
    for (const tab of this.querySelectorAll<HTMLButtonElement>('[data-pane-tab]')) {
      const selected = tab.dataset.paneTab === this.#current;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
  }
}

function safeRead(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage refused (private mode): the default sizes
  }
}

function safeWrite(text: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, text);
  } catch {
    // Sizes are a convenience: when they cannot be kept, the panes still work.
  }
}

if (!customElements.get('dojo-panes')) customElements.define('dojo-panes', DojoPanes);
