// The teacher's guide checks: the build stops, naming the lesson, on a missing guide, a stray one, a wrong variant or bad timing.
import { describe, expect, it } from 'vitest';
import { assertGuides, guideProblems, sectionsOf, type CourseInput, type GuideInput } from '../../../src/utils/guide-checks.ts';
import { guideSchema, type GuideData } from '../../../src/schemas/guide.ts';

const BODY = '## Discussion questions\n\n- Why?\n\n## Live demo\n\n1. Send a request.\n\n## Grading: what to look for\n\nThe store.\n';

const COURSE: CourseInput = {
  lessons: new Map([['first-lesson', 'counter'], ['second-lesson', 'limiter']]),
  wrongVariants: new Map([['counter', ['local-file', 'get-then-set']], ['limiter', ['no-expiry']]]),
};

function data(lesson: string, changes: Partial<GuideData> = {}): GuideData {
  return {
    lesson,
    goals: ['Learners can explain the idea.', 'Learners can fix the kata.'],
    timing: {
      short: [{ minutes: 10, activity: 'Read the lesson' }, { minutes: 35, activity: 'Solve the kata' }],
      long: [{ minutes: 30, activity: 'Read the lesson' }, { minutes: 60, activity: 'Solve the kata' }],
    },
    misconceptions: [
      { belief: 'A file on disk is shared.', variant: 'local-file', response: 'Each process has its own disk.' },
      { belief: 'One process is enough.', response: 'It restarts every day.' },
    ],
    ...changes,
  };
}

const guide = (id: string, changes: Partial<GuideData> = {}, body = BODY): GuideInput => ({ id, data: data(id, changes), body });
const both = () => [guide('first-lesson'), guide('second-lesson', { misconceptions: [data('x').misconceptions[1]!, data('x').misconceptions[1]!] })];

describe("teacher's guide checks", () => {
  it('passes a guide per lesson whose variants exist and whose sessions add up', () => {
    expect(guideProblems(both(), COURSE)).toEqual([]);
    expect(() => assertGuides(both(), COURSE)).not.toThrow();
  });

  it('names the lesson that has no guide', () => {
    const problems = guideProblems([guide('first-lesson')], COURSE);
    expect(problems).toEqual([expect.stringMatching(/lessons\/second-lesson\.mdx: .*"second-lesson" has no teacher's guide: write guides\/second-lesson\.mdx/)]);
    expect(() => assertGuides([guide('first-lesson')], COURSE)).toThrow(/second-lesson/);
  });

  it('names a guide whose lesson does not exist', () => {
    const problems = guideProblems([...both(), guide('third-lesson', { misconceptions: data('x').misconceptions.slice(1).concat(data('x').misconceptions.slice(1)) })], COURSE);
    expect(problems).toEqual([expect.stringMatching(/^guides\/third-lesson\.mdx: lesson: no lesson named "third-lesson"/)]);
  });

  it('names a guide filed under another name than its lesson', () => {
    const misnamed = { ...guide('first-lesson'), id: 'first' };
    expect(guideProblems([misnamed, both()[1]!], COURSE)).toEqual([expect.stringMatching(/^guides\/first\.mdx: lesson: "first-lesson", but .*guides\/first-lesson\.mdx/)]);
  });

  it("refuses a variant that is not a wrong variant of the lesson's own kata", () => {
    // no-expiry is a wrong variant of the other lesson's kata, not of this one's
    const guides = [guide('first-lesson', { misconceptions: [{ belief: 'Counters clean themselves up.', variant: 'no-expiry', response: 'Not without a TTL.' }, data('x').misconceptions[1]!] }), both()[1]!];
    expect(guideProblems(guides, COURSE)).toEqual([
      expect.stringMatching(/^guides\/first-lesson\.mdx: misconceptions\.0\.variant: lesson "first-lesson": katas\/counter\/wrong\/no-expiry does not exist \(its kata's wrong variants: get-then-set, local-file\)/),
    ]);
  });

  it('refuses a 45-minute session whose minutes add up to something else, and says the sum', () => {
    const short = [{ minutes: 10, activity: 'Read the lesson' }, { minutes: 30, activity: 'Solve the kata' }];
    const guides = [guide('first-lesson', { timing: { ...data('x').timing, short } }), both()[1]!];
    expect(guideProblems(guides, COURSE)).toEqual([expect.stringMatching(/^guides\/first-lesson\.mdx: timing\.short: lesson "first-lesson": the minutes add up to 40, not 45/)]);
  });

  it('refuses a 90-minute session whose minutes add up to something else', () => {
    const long = [{ minutes: 45, activity: 'Read the lesson' }, { minutes: 50, activity: 'Solve the kata' }];
    const guides = [guide('first-lesson', { timing: { ...data('x').timing, long } }), both()[1]!];
    expect(guideProblems(guides, COURSE)).toEqual([expect.stringMatching(/timing\.long: lesson "first-lesson": the minutes add up to 95, not 90/)]);
  });

  it('refuses a body without exactly the three sections, in order', () => {
    const swapped = '## Live demo\n\n1. x\n\n## Discussion questions\n\n- y\n\n## Grading: what to look for\n\nz\n';
    const guides = [guide('first-lesson', {}, swapped), guide('second-lesson', { misconceptions: both()[1]!.data.misconceptions }, `${BODY}\n## Extra\n`)];
    const problems = guideProblems(guides, COURSE);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/guides\/first-lesson\.mdx: lesson "first-lesson": the body's sections are "Live demo", "Discussion questions"/);
    expect(problems[1]).toMatch(/guides\/second-lesson\.mdx: .*"Extra"/);
  });

  it('reads sections outside code fences only', () => {
    expect(sectionsOf('## One\n```md\n## Not a section\n```\n### Three\n## Two ##\n')).toEqual(['One', 'Two']);
  });

  it('lists every problem at once, so one build says all there is to fix', () => {
    const short = [{ minutes: 5, activity: 'Read the lesson' }];
    expect(guideProblems([guide('first-lesson', { timing: { ...data('x').timing, short } }, '')], COURSE)).toHaveLength(3);
  });
});

describe("teacher's guide frontmatter", () => {
  it('accepts the documented shape', () => {
    expect(guideSchema.safeParse(data('first-lesson')).success).toBe(true);
  });

  it('refuses fewer than 2 goals, more than 6 misconceptions and unknown fields', () => {
    expect(guideSchema.safeParse(data('a', { goals: ['Only one goal here.'] })).success).toBe(false);
    const many = Array.from({ length: 7 }, () => data('a').misconceptions[1]!);
    expect(guideSchema.safeParse(data('a', { misconceptions: many })).success).toBe(false);
    expect(guideSchema.safeParse({ ...data('a'), notes: 'x' }).success).toBe(false);
  });
});
