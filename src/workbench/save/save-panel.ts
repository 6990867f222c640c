// <dojo-save-panel>: where the workbench tells the learner what happened to their code and lets them choose
// (another tab's save, a damaged save, a file too large, an import), and lists backups to restore. Owns its DOM.

export interface Action {
  label: string;
  run(): void | Promise<void>;
}

export type Tone = 'info' | 'warn';

export class SavePanel extends HTMLElement {
  readonly #notices = document.createElement('div');
  readonly #backups = document.createElement('details');
  readonly #backupList = document.createElement('ul');
  readonly #dialog = document.createElement('dialog');

  #built = false;

  connectedCallback(): void {
    this.#build();
  }

  /** A custom element may not give itself attributes or children while it is being created: build on first use. */
  #build(): void {
    if (this.#built) return;
    this.#built = true;
    this.className = 'save-panel';
    // A live region that exists before anything is put in it, so screen readers announce each notice.
    this.#notices.setAttribute('role', 'status');
    this.#notices.setAttribute('aria-live', 'polite');
    this.#notices.className = 'save-notices';
    const summary = document.createElement('summary');
    summary.textContent = 'Backups of your code';
    this.#backups.hidden = true;
    this.#backups.className = 'save-backups';
    this.#backups.append(summary, this.#backupList);
    this.#dialog.className = 'confirm save-dialog';
    this.append(this.#notices, this.#backups, this.#dialog);
  }

  /** Show (or replace) the notice `key`; its buttons run `actions`, then the notice goes unless an action returns false. */
  notice(key: string, text: string, actions: Action[] = [], tone: Tone = 'info'): HTMLElement {
    this.#build();
    this.clear(key);
    const box = document.createElement('div');
    box.className = `notice save-notice ${tone === 'warn' ? 'warn' : ''}`;
    box.dataset.saveNotice = key;
    const paragraph = document.createElement('p');
    paragraph.textContent = text;
    box.append(paragraph);
    if (actions.length) {
      const row = document.createElement('div');
      row.className = 'toolbar';
      for (const action of actions) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button';
        button.textContent = action.label;
        button.addEventListener('click', async () => {
          for (const other of row.querySelectorAll('button')) other.disabled = true;
          try {
            await action.run();
          } finally {
            if (box.isConnected && box.dataset.keep !== 'true') box.remove();
          }
        });
        row.append(button);
      }
      box.append(row);
    }
    this.#notices.append(box);
    return box;
  }

  clear(key: string): void {
    this.#notices.querySelector(`[data-save-notice="${CSS.escape(key)}"]`)?.remove();
  }

  has(key: string): boolean {
    return this.#notices.querySelector(`[data-save-notice="${CSS.escape(key)}"]`) !== null;
  }

  /** A modal question with a list of what will happen; resolves true for `yes`. */
  ask(title: string, text: string, items: readonly string[], yes: string, no = 'Cancel'): Promise<boolean> {
    this.#build();
    const id = `save-dialog-title-${Math.random().toString(36).slice(2, 8)}`;
    this.#dialog.replaceChildren();
    this.#dialog.setAttribute('aria-labelledby', id);
    const form = document.createElement('form');
    form.method = 'dialog';
    const heading = Object.assign(document.createElement('h3'), { id, textContent: title });
    const paragraph = Object.assign(document.createElement('p'), { textContent: text });
    form.append(heading, paragraph);
    if (items.length) {
      const list = document.createElement('ul');
      for (const item of items) list.append(Object.assign(document.createElement('li'), { textContent: item }));
      form.append(list);
    }
    const row = document.createElement('div');
    row.className = 'toolbar';
    const yesButton = Object.assign(document.createElement('button'), { className: 'button primary', value: 'yes', textContent: yes });
    const noButton = Object.assign(document.createElement('button'), { className: 'button', value: 'no', textContent: no });
    row.append(yesButton, noButton);
    form.append(row);
    this.#dialog.append(form);
    this.#dialog.returnValue = '';
    this.#dialog.showModal();
    noButton.focus(); // the safe choice first: nothing is replaced by pressing Enter
    return new Promise((resolve) => {
      this.#dialog.addEventListener('close', () => resolve(this.#dialog.returnValue === 'yes'), { once: true });
    });
  }

  /** The backups, newest first, each with its buttons. */
  showBackups(items: { label: string; actions: Action[] }[]): void {
    this.#build();
    this.#backups.hidden = items.length === 0;
    this.#backups.querySelector('summary')!.textContent = `Backups of your code (${items.length})`;
    this.#backupList.replaceChildren();
    for (const item of items) {
      const row = document.createElement('li');
      row.append(Object.assign(document.createElement('span'), { textContent: `${item.label} ` }));
      for (const action of item.actions) {
        const button = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: action.label });
        button.setAttribute('aria-label', `${action.label}: ${item.label}`);
        button.addEventListener('click', () => void action.run());
        row.append(button);
      }
      this.#backupList.append(row);
    }
  }
}

export function savePanel(): SavePanel {
  if (!customElements.get('dojo-save-panel')) customElements.define('dojo-save-panel', SavePanel);
  return document.createElement('dojo-save-panel') as SavePanel;
}
