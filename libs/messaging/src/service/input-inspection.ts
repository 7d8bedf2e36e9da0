import { MAX_INPUT_DEPTH, stringProblem } from '@procura/contracts';
import type { FieldError } from '@procura/errors';

/** Problems reported for one input at most: enough to fix it, bounded whatever the input. */
const MAX_PROBLEMS = 20;

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent || 'body'}[${key}]`;
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * The rules every input obeys whatever its DTO (libs/contracts input-rules): nesting no
 * deeper than MAX_INPUT_DEPTH, and no string, value or key, with NUL, control or
 * bidirectional override characters or unpaired surrogates. Iterative, so a body of
 * thousands of nested arrays is refused here instead of overflowing the stack of
 * class-transformer, which runs next. Fields are named by path (`items[2].payload.firstName`);
 * `root` is the name of the whole value ('' for a body).
 */
export function inspectInput(value: unknown, root: string): FieldError[] {
  const problems: FieldError[] = [];
  const report = (field: string, message: string) => problems.push({ field: field || 'body', messages: [`${field || 'body'} ${message}`] });
  const stack: Pending[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = stringProblem(current);
      if (problem) report(path, problem);
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      report(path, `nests deeper than ${MAX_INPUT_DEPTH} levels`);
      continue;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: childPath(path, i), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(current);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const keyProblem = stringProblem(key);
      if (keyProblem) {
        report(path, `has a key that ${keyProblem}`);
        continue;
      }
      stack.push({ value: (current as Record<string, unknown>)[key], path: childPath(path, key), depth: depth + 1 });
    }
  }
  return problems;
}
