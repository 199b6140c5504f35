// Shell quoting for the command lines eto prints (--dry-run) and the --trainer-command template it fills in:
// a word is left as it is when it holds only safe characters, else it is single-quoted (POSIX sh rules).

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export function shellLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
