// Hugging Face tokenizer.json regexes are Oniguruma patterns; this turns the subset real files use into
// JS `u` regexes with the same meaning. It does not accept arbitrary Oniguruma syntax: what it cannot map
// (possessive quantifiers, atomic groups, \h, \G, ...) is refused by name rather than guessed.
import { ConfigError } from '../errors.ts';

// Oniguruma's \s is Unicode White_Space; JS's \s adds U+FEFF and lacks U+0085, so spell the set out.
const WHITE_SPACE = '\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

// Characters other than ASCII that Unicode case folding equates with an ASCII letter.
const FOLD_EXTRAS: Record<string, string> = { s: '\\u017f', k: '\\u212a' };

const UNSUPPORTED: readonly [RegExp, string][] = [
  [/\(\?>/, 'atomic groups (?>...)'],
  [/(?<!\\)[*+?]\+/, 'possessive quantifiers'],
  [/\\[hHGAzZ]/, 'the escapes \\h \\H \\G \\A \\z \\Z'],
  [/\(\?[imx-]+\)/, 'option switches such as (?i) outside a group'],
];

/** A global JS RegExp matching what Oniguruma matches for `pattern` (`field` names it in errors). */
export function oniguruma(pattern: string, field: string): RegExp {
  for (const [test, what] of UNSUPPORTED) {
    if (test.test(pattern)) {
      throw new ConfigError(field, `regex ${JSON.stringify(pattern)} uses ${what}, not supported`);
    }
  }
  const source = translate(pattern);
  try {
    return new RegExp(source, 'gu');
  } catch (error) {
    throw new ConfigError(field, `regex ${JSON.stringify(pattern)} does not compile: ${(error as Error).message}`);
  }
}

/** Rewrites \s, \S and case-insensitive groups (?i:...), walking the pattern once. */
function translate(pattern: string): string {
  let out = '';
  let inClass = false;
  let ignoreCaseDepth = 0; // >0 inside (?i:...)
  const groupIsIgnoreCase: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      i++;
      if (next === 's') out += inClass ? WHITE_SPACE : `[${WHITE_SPACE}]`;
      else if (next === 'S') {
        if (inClass) throw new ConfigError('regex', `\\S inside a character class is not supported in ${pattern}`);
        out += `[^${WHITE_SPACE}]`;
      } else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += inClass ? foldInClass(ch, ignoreCaseDepth > 0) : ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (pattern[i + 1] === '^') out += pattern[++i];
      continue;
    }
    if (ch === '(') {
      const ignoreCase = pattern.startsWith('(?i:', i);
      groupIsIgnoreCase.push(ignoreCase);
      if (ignoreCase) {
        ignoreCaseDepth++;
        out += '(?:';
        i += 3;
        continue;
      }
      out += ch;
      continue;
    }
    if (ch === ')') {
      if (groupIsIgnoreCase.pop()) ignoreCaseDepth--;
      out += ch;
      continue;
    }
    out += ignoreCaseDepth > 0 ? foldLetter(ch) : ch;
  }
  return out;
}

function foldLetter(ch: string): string {
  const lower = ch.toLowerCase();
  if (!/^[a-z]$/.test(lower)) return ch;
  return `[${lower}${lower.toUpperCase()}${FOLD_EXTRAS[lower] ?? ''}]`;
}

function foldInClass(ch: string, ignoreCase: boolean): string {
  if (!ignoreCase) return ch;
  const lower = ch.toLowerCase();
  if (!/^[a-z]$/.test(lower)) return ch;
  return `${lower}${lower.toUpperCase()}${FOLD_EXTRAS[lower] ?? ''}`;
}

/** Escapes a literal string for use inside a RegExp. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
