// Tabs of this site on the same kata tell each other they are there and when they save (BroadcastChannel).

export type TabMessage =
  | { type: 'hello'; slug: string; tab: string }
  | { type: 'here'; slug: string; tab: string }
  | { type: 'saved'; slug: string; tab: string; rev: number }
  | { type: 'bye'; slug: string; tab: string };

export interface TabEvents {
  /** another tab has this kata open (said once per tab) */
  onOther(tab: string): void;
  /** another tab saved code for this kata */
  onSaved(tab: string, rev: number): void;
  /** another tab closed (or left the kata); `remaining` other tabs still have it open */
  onGone?(tab: string, remaining: number): void;
}

export interface Tabs {
  saved(rev: number): void;
  close(): void;
}

/** Where BroadcastChannel is missing, tabs still cannot overwrite each other (saves are numbered); they only learn later. */
export function watchTabs(slug: string, tab: string, events: TabEvents, channel: BroadcastChannel | undefined = openChannel()): Tabs {
  const known = new Set<string>();
  const post = (message: TabMessage) => channel?.postMessage(message);
  const meet = (other: string) => {
    if (known.has(other)) return;
    known.add(other);
    events.onOther(other);
  };
  channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (!message || message.slug !== slug || message.tab === tab) return;
    if (message.type === 'hello') {
      post({ type: 'here', slug, tab });
      meet(message.tab);
    } else if (message.type === 'here') {
      meet(message.tab);
    } else if (message.type === 'saved') {
      meet(message.tab);
      events.onSaved(message.tab, message.rev);
    } else if (known.delete(message.tab)) {
      events.onGone?.(message.tab, known.size);
    }
  });
  post({ type: 'hello', slug, tab });
  return {
    saved: (rev) => post({ type: 'saved', slug, tab, rev }),
    close: () => {
      post({ type: 'bye', slug, tab });
      channel?.close();
    },
  };
}

function openChannel(): BroadcastChannel | undefined {
  try {
    return typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('stateless-dojo-work');
  } catch {
    return undefined;
  }
}
