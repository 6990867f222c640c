// Counts the work learner code does: a step at the top of every loop body and every function, so a runaway loop or
// recursion is caught after the same number of steps on a fast laptop and on a busy Chromebook (not after N ms).
import { parse, type Node } from 'acorn';
import { simple } from 'acorn-walk';

/** The parameter the module wrapper passes in; learner code may not declare or use names that start with `__dojo`. */
export const STEP = '__dojo_step';
const RESERVED = /^__dojo/;

export interface ReservedName {
  line: number;
  column: number;
  name: string;
}

type Loop = Node & { body: Node };
type Fn = Node & { body: Node; expression?: boolean };

/**
 * Insert `__dojo_step();` into compiled (CommonJS) code without adding lines, so line numbers in stack traces stay
 * the learner's. Throws a ReservedNameError when the code uses a reserved name (it could shadow the counter).
 */
export function instrument(code: string): string {
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowReturnOutsideFunction: true });
  const inserts: { at: number; text: string }[] = [];
  const intoBody = (body: Node) => {
    if (body.type === 'BlockStatement') inserts.push({ at: body.start + 1, text: `${STEP}();` });
    else {
      inserts.push({ at: body.start, text: `{${STEP}();` });
      inserts.push({ at: body.end, text: '}' });
    }
  };
  const loop = (node: Node) => intoBody((node as Loop).body);
  const fn = (node: Node) => {
    const { body } = node as Fn;
    if (body.type === 'BlockStatement') intoBody(body);
    else {
      // `(x) => expr` becomes `(x) => (__dojo_step(), expr)`
      inserts.push({ at: body.start, text: `(${STEP}(), ` });
      inserts.push({ at: body.end, text: ')' });
    }
  };
  // acorn-walk's types leave out VariablePattern, which its walker does call for declared names.
  const visitors: Record<string, (node: Node) => void> = {
    ForStatement: loop,
    ForInStatement: loop,
    ForOfStatement: loop,
    WhileStatement: loop,
    DoWhileStatement: loop,
    FunctionDeclaration: fn,
    FunctionExpression: fn,
    ArrowFunctionExpression: fn,
    Identifier: reserved,
    VariablePattern: reserved, // a name being declared: `let __dojo_step`, a parameter
  };
  simple(ast, visitors as Parameters<typeof simple>[1]);
  // Apply from the end so earlier offsets stay valid. Text inserted later at the same offset lands before text
  // inserted earlier, and the walk is post-order (inner nodes first), so at one offset: openings first, outer
  // openings last (they must lead); then closings, inner ones last (they must come first).
  const ordered = inserts.map((insert, index) => ({ ...insert, index, closes: insert.text === '}' || insert.text === ')' }));
  ordered.sort((a, b) => b.at - a.at || Number(a.closes) - Number(b.closes) || (a.closes ? b.index - a.index : a.index - b.index));
  let out = code;
  for (const { at, text } of ordered) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

function reserved(node: Node): void {
  const { name, loc } = node as Node & { name: string };
  if (RESERVED.test(name)) throw new ReservedNameError({ name, line: loc!.start.line, column: loc!.start.column + 1 });
}

export class ReservedNameError extends Error {
  readonly where: ReservedName;
  constructor(where: ReservedName) {
    super(`the name ${where.name} is reserved for the kata engine: please rename it`);
    this.name = 'ReservedNameError';
    this.where = where;
  }
}
