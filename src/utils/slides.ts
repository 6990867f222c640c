// Cuts a lesson's rendered body into presenter slides, one idea per screen, and names the channel that keeps the
// presenter's deck and their speaker-notes window on the same slide.

/** What the cutter needs to know of each top-level element of the lesson body. */
export type Block = { kind: 'h2' | 'h3' | 'self-check' | 'figure' | 'other'; text?: string };

export interface Slide {
  /** indexes into the blocks, in order */
  blocks: number[];
  /** the heading the slide starts with, or the section it continues */
  title: string;
  /** the section (## heading) a slide belongs to when it starts lower down: shown above it */
  section?: string;
}

/**
 * A new slide at each `##` section, at each `###` (unless it comes straight after its `##`), after each figure (a
 * diagram, a live cluster, a violation and its fix: the text before it introduces it), and at each self-check after
 * the first of a run: long sections become several screens, each naming its section.
 */
export function cutSlides(blocks: readonly Block[]): Slide[] {
  const slides: Slide[] = [];
  let section = '';
  let current: Slide | undefined;
  blocks.forEach((block, at) => {
    const previous = blocks[at - 1];
    const afterHeading = previous?.kind === 'h2' || (previous?.kind === 'h3' && block.kind === 'self-check');
    const starts = !current
      || block.kind === 'h2'
      || previous?.kind === 'figure'
      || (block.kind === 'h3' && previous?.kind !== 'h2')
      || (block.kind === 'self-check' && !afterHeading && current.blocks.some((index) => blocks[index]!.kind === 'self-check'));
    if (block.kind === 'h2') section = block.text ?? '';
    if (starts) {
      const title = block.kind === 'h2' || block.kind === 'h3' ? block.text ?? '' : section;
      current = { blocks: [], title, section: block.kind === 'h2' || !section ? undefined : section };
      slides.push(current);
    }
    current!.blocks.push(at);
  });
  return slides;
}

/** What the deck and the notes window tell each other. */
export type PresentMessage =
  | { type: 'slide'; index: number; count: number; title: string; next?: string }
  | { type: 'go'; to: 'next' | 'previous' | 'first' | 'last' }
  | { type: 'hello' };

/** One channel per lesson, so two lessons presented in two tabs don't steer each other. */
export const presentChannel = (lesson: string) => `stateless-dojo:present:${lesson}`;

/** The key a presenter presses, as a move, or undefined for keys the deck leaves alone. */
export function moveFor(key: string): 'next' | 'previous' | 'first' | 'last' | undefined {
  if (key === 'ArrowRight' || key === 'PageDown' || key === ' ') return 'next';
  if (key === 'ArrowLeft' || key === 'PageUp') return 'previous';
  if (key === 'Home') return 'first';
  if (key === 'End') return 'last';
  return undefined;
}
