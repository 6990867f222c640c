// The workspace panes' sizes as data: limits, what a key press does, and reading saved sizes back (DOM-free, tested).

export type PaneName = 'brief' | 'code' | 'results';
export type SeparatorName = 'brief' | 'code';

export interface PaneSizes {
  /** the brief's width, in % of the workspace's */
  brief: number;
  /** the editor's height, in % of the right-hand column's */
  code: number;
  briefCollapsed: boolean;
}

export const DEFAULT_SIZES: PaneSizes = { brief: 30, code: 55, briefCollapsed: false };
export const LIMITS: Record<SeparatorName, { min: number; max: number }> = { brief: { min: 15, max: 60 }, code: { min: 20, max: 80 } };
export const STORAGE_KEY = 'dojo-workspace-panes';
/** the phone layout's breakpoint, the same as workspace.css's */
export const PHONE = '(max-width: 47.99rem)';

/** The size a key press makes (arrows: 2 points, Page Up/Down: 10, Home/End: the limits), or undefined for other keys. */
export function sizeAfterKey(size: number, key: string, orientation: 'vertical' | 'horizontal', limits: { min: number; max: number }): number | undefined {
  // A vertical bar moves sideways, a horizontal one up and down; the other pair of arrows is left to the page.
  const grow = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
  const shrink = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
  const next = key === grow ? size + 2 : key === shrink ? size - 2 : key === 'PageDown' ? size + 10 : key === 'PageUp' ? size - 10
    : key === 'Home' ? limits.min : key === 'End' ? limits.max : undefined;
  return next === undefined ? undefined : clamp(next, limits);
}

export function clamp(size: number, { min, max }: { min: number; max: number }): number {
  return Math.round(Math.min(max, Math.max(min, size)));
}

/** Saved sizes, each checked: anything damaged or out of range falls back to the default. */
export function readSizes(text: string | null): PaneSizes {
  let saved: Partial<PaneSizes> = {};
  try {
    saved = (JSON.parse(text ?? '{}') ?? {}) as Partial<PaneSizes>;
  } catch {
    saved = {};
  }
  const size = (name: SeparatorName) => (typeof saved[name] === 'number' && Number.isFinite(saved[name]) ? clamp(saved[name], LIMITS[name]) : DEFAULT_SIZES[name]);
  return { brief: size('brief'), code: size('code'), briefCollapsed: saved.briefCollapsed === true };
}
