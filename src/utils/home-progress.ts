// The home page's progress drawn over its static course map: each concept's state, the solved count and the
// continue link, from the marks this browser keeps. Without JavaScript the page keeps its static text.
import { readSolved } from './progress-marks.ts';
import { readAttempted, readLastVisit, readLessonsRead } from './learner-marks.ts';
import { continueLink, courseProgress, progressText, STATE_LABEL, type ProgressRow } from './course-progress.ts';
import { savedAttempts } from './saved-attempts.ts';

const rowsOf = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>('[data-progress-row]')];

function progressRow(element: HTMLElement): ProgressRow {
  const concept = element.dataset.concept ?? '';
  return {
    concept: concept === '6b' ? '6b' : Number(concept),
    ...(element.dataset.lesson ? { lesson: element.dataset.lesson } : {}),
    ...(element.dataset.rowKata ? { kata: element.dataset.rowKata } : {}),
  };
}

/** Draws the marks; `alsoAttempted` adds katas found attempted elsewhere (saved code, see showSavedAttempts). */
export function showProgress(root: ParentNode, alsoAttempted: ReadonlySet<string> = new Set()): void {
  const rows = rowsOf(root);
  const progress = courseProgress(rows.map(progressRow), {
    solved: readSolved(),
    attempted: new Set([...readAttempted(), ...alsoAttempted]),
    read: readLessonsRead(),
  });
  rows.forEach((row, i) => {
    const state = progress.states[i]!;
    row.dataset.state = state;
    const label = row.querySelector<HTMLElement>('[data-state-label]');
    if (label) label.textContent = STATE_LABEL[state];
  });
  const count = root.querySelector<HTMLElement>('[data-progress-count]');
  if (count) count.textContent = progressText(progress);
  const link = root.querySelector<HTMLAnchorElement>('a[data-continue]');
  if (link) {
    const target = continueLink(readLastVisit(), { href: link.dataset.firstHref ?? link.getAttribute('href') ?? '/', title: link.dataset.firstTitle ?? '' });
    link.href = target.href;
    link.textContent = target.text;
  }
}

/**
 * Katas with saved code that differs from the starter count as attempted too (code saved before the kata page kept
 * its "attempted" mark). Reading IndexedDB is slower than localStorage, so this redraws once it knows.
 */
export async function showSavedAttempts(root: ParentNode): Promise<void> {
  const starters = new Map<string, string>();
  for (const row of rowsOf(root)) {
    const { rowKata, starter, state } = row.dataset;
    if (rowKata && starter && (state === 'not-started' || state === 'read')) starters.set(rowKata, starter);
  }
  if (starters.size === 0) return;
  try {
    const { WorkStore } = await import('../workbench/save/work-store.ts');
    const store = await new WorkStore().open();
    if (!store.available) return;
    const found = await savedAttempts(starters, async (slug) => {
      const loaded = await store.load(slug);
      return loaded.kind === 'ok' ? loaded.work.files : undefined;
    });
    if (found.size > 0) showProgress(root, found);
  } catch {
    // no IndexedDB: the marks already drawn stand
  }
}
