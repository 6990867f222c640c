// The editor features Monaco registers for the kata editor: what editing one small TypeScript file needs, no more.
// Imported by monaco.ts before any editor exists: Monaco gives its services to the editors created after
// StandaloneServices starts, so a feature registered later is missing, or throws "depends on UNKNOWN service".

import 'monaco-editor/features/codicon/register'; // the icons of the suggest list, hover and problem widgets
// Completion: the suggest model and memory, and (missing from features/suggest in 0.57) the suggest widget itself.
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/parameterHints/register'; // signature help while typing arguments
import 'monaco-editor/features/hover/register'; // types, docs and problem messages on hover and Ctrl+K Ctrl+I
import 'monaco-editor/features/gotoError/register'; // F8 / Shift+F8: next/previous problem, with its message
import 'monaco-editor/features/diffEditor/register'; // the solution's diff: accessible diff viewer (F7)
import 'monaco-editor/features/readOnlyMessage/register'; // "cannot edit" in the read-only diff
import 'monaco-editor/features/toggleTabFocusMode/register'; // Ctrl+M: Tab moves focus (the page's help says so)
import 'monaco-editor/features/find/register'; // Ctrl+F / Ctrl+H
import 'monaco-editor/features/comment/register'; // Ctrl+/
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/wordOperations/register'; // Ctrl+Arrow, Ctrl+Backspace by word
import 'monaco-editor/features/linesOperations/register'; // move, copy and delete lines
