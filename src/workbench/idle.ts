// Runs work the page does not need for its first paint once the browser is idle, or at the learner's first
// interaction if that comes sooner: whichever comes first runs it, once.
const INTERACTIONS = ['pointerdown', 'keydown', 'focusin', 'touchstart'] as const;

/** Runs `work` once, at the learner's first interaction with the page (a key, a pointer, a focus, a touch). */
export function onFirstInteraction(work: () => void, target: EventTarget = document): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    stop();
    work();
  };
  const stop = () => {
    for (const type of INTERACTIONS) target.removeEventListener(type, run, { capture: true });
  };
  for (const type of INTERACTIONS) target.addEventListener(type, run, { once: true, capture: true, passive: true });
  return () => {
    done = true;
    stop();
  };
}

export function whenIdle(work: () => void, { timeoutMs = 4000, target = document as EventTarget } = {}): () => void {
  const cancelIdle = () => {
    if (typeof requestIdleCallback === 'function') cancelIdleCallback(idle as number);
    else clearTimeout(idle as ReturnType<typeof setTimeout>);
  };
  // Whichever comes first runs the work and calls off the other.
  const stopListening = onFirstInteraction(() => {
    cancelIdle();
    work();
  }, target);
  const onIdle = () => {
    stopListening();
    work();
  };
  const idle = typeof requestIdleCallback === 'function'
    ? requestIdleCallback(onIdle, { timeout: timeoutMs })
    : setTimeout(onIdle, 1); // Safari before 18 has no requestIdleCallback: after the current task, at least
  /** Cancels the work if it has not run yet. */
  return () => {
    stopListening();
    cancelIdle();
  };
}
