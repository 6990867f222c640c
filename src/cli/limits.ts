// What the grader takes from a learner, in one place: the copy of a folder and a hand-in file obey the same limits.

/** One file of a learner's code. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** All of one learner's files together (one folder, or one hand-in file's code). */
export const MAX_LEARNER_BYTES = 5 * 1024 * 1024;
/** Files of one kata in a hand-in: a workbench holds a handful; thousands would only be there to wear the grader down. */
export const MAX_FILES_PER_KATA = 100;
/** Katas in one hand-in (its files or its list of solved katas): the course has fifteen; each kata is a row of the report. */
export const MAX_KATAS_PER_HAND_IN = 50;
/** A hand-in or progress file itself (JSON around the code: escapes can double its size). */
export const MAX_HAND_IN_FILE_BYTES = 2 * MAX_LEARNER_BYTES;

/** The files the engine reads from a folder (as readFolder in engine/kata/load-node.ts does): others are not graded. */
export const TEXT_FILE = /\.(ts|js|json|md|txt|html|css)$/;
