// Presenter slides: one idea per screen, cut at sections, subsections and self-checks, each naming its section.
import { describe, expect, it } from 'vitest';
import { cutSlides, moveFor, type Block } from '../../../src/utils/slides.ts';

const h2 = (text: string): Block => ({ kind: 'h2', text });
const h3 = (text: string): Block => ({ kind: 'h3', text });
const p: Block = { kind: 'other' };
const check: Block = { kind: 'self-check' };
const figure: Block = { kind: 'figure' };

describe('presenter slides', () => {
  it('starts a slide at each section, with everything up to the next one', () => {
    expect(cutSlides([h2('The idea'), p, p, h2('Violation and fix'), p])).toEqual([
      { blocks: [0, 1, 2], title: 'The idea', section: undefined },
      { blocks: [3, 4], title: 'Violation and fix', section: undefined },
    ]);
  });

  it('gives each subsection a slide of its own, naming its section, but keeps the first with a bare section heading', () => {
    const slides = cutSlides([h2('In your stack'), h3('Express'), p, h3('Django'), p]);
    expect(slides.map((slide) => [slide.title, slide.section, slide.blocks])).toEqual([
      ['In your stack', undefined, [0, 1, 2]],
      ['Django', 'In your stack', [3, 4]],
    ]);
  });

  it('puts each self-check on a screen of its own, under its section', () => {
    const slides = cutSlides([h2('Check yourself'), check, check, check, h2('Practice'), p]);
    expect(slides.map((slide) => [slide.title, slide.section, slide.blocks])).toEqual([
      ['Check yourself', undefined, [0, 1]],
      ['Check yourself', 'Check yourself', [2]],
      ['Check yourself', 'Check yourself', [3]],
      ['Practice', undefined, [4, 5]],
    ]);
  });

  it('ends a slide with each figure, so the text that introduces a figure shares its screen', () => {
    const slides = cutSlides([h2('The idea'), p, figure, p, figure, p, figure]);
    expect(slides.map((slide) => [slide.title, slide.section, slide.blocks])).toEqual([
      ['The idea', undefined, [0, 1, 2]],
      ['The idea', 'The idea', [3, 4]],
      ['The idea', 'The idea', [5, 6]],
    ]);
  });

  it('keeps what comes before the first section on a slide of its own', () => {
    expect(cutSlides([p, h2('The idea'), p]).map((slide) => slide.blocks)).toEqual([[0], [1, 2]]);
    expect(cutSlides([])).toEqual([]);
  });

  it('moves with the arrow keys, Page Up and Down, Space, Home and End, and leaves other keys alone', () => {
    expect(['ArrowRight', 'PageDown', ' ', 'ArrowLeft', 'PageUp', 'Home', 'End', 'ArrowDown', 'a'].map(moveFor))
      .toEqual(['next', 'next', 'next', 'previous', 'previous', 'first', 'last', undefined, undefined]);
  });
});
