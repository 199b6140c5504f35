// Locating a chat template's failure for the error message: the line a syntax error sits on (the first prefix of
// lines that fails with the same message as the whole template) and the line a raise_exception message comes from.
import { parse, tokenize } from '@huggingface/jinja';
import { DataError } from '../errors.ts';

/** The 1-based template line where compiling fails with `message`, if a prefix of lines reproduces it. */
export function syntaxErrorLine(template: string, message: string): number | undefined {
  const lines = template.split('\n');
  for (let count = 1; count <= lines.length; count++) {
    try {
      parse(tokenize(lines.slice(0, count).join('\n'), { lstrip_blocks: true, trim_blocks: true }));
    } catch (error) {
      if ((error as Error).message === message) return count;
    }
  }
  return undefined;
}

/** The 1-based line of the raise_exception(...) call whose literal text is `message`, when one matches. */
export function raiseLine(template: string, message: string): number | undefined {
  const lines = template.split('\n');
  const calls = lines.flatMap((line, i) => (line.includes('raise_exception') ? [i + 1] : []));
  const quoted = calls.find((n) => (lines[n - 1] as string).includes(message.slice(0, 40)));
  return quoted ?? (calls.length === 1 ? calls[0] : undefined);
}

/** A DataError for `file` naming the template line (the file line itself when the file is the template). */
export function templateError(file: string, line: number | undefined, message: string): DataError {
  if (file.endsWith('.jinja')) return new DataError(file, line, `chat template: ${message}`);
  const where = line === undefined ? 'chat_template' : `chat_template line ${line}`;
  return new DataError(file, undefined, `${where}: ${message}`);
}
