import { opensPlaceholder } from './substitute-placeholders.ts';

/** The environment variable that carries a placeholder's value into a shell script. */
export function paramVariable(name: string): string {
  return `CRONPLANE_PARAM_${name}`;
}

export interface ShellPlaceholderProblem {
  /** 0-based offset of the placeholder in the script. */
  readonly offset: number;
  readonly message: string;
}

export interface ShellReferences {
  /** The script with each placeholder replaced by a quoted reference to its variable. */
  readonly script: string;
  /** The placeholders referenced: each `paramVariable(name)` must be set in the shell's environment. */
  readonly used: readonly string[];
  /** Placeholders that cannot be passed safely where they stand; the script must not run. */
  readonly problems: readonly ShellPlaceholderProblem[];
}

/**
 * Rewrites a POSIX shell script so that no placeholder value is ever part of its text: each
 * `{name}` becomes a reference to the environment variable `CRONPLANE_PARAM_name`, quoted for
 * the context it stands in so that the shell expands it to exactly one word, without word
 * splitting or globbing, and never parses the value:
 *
 * | context                              | `{who}` becomes                 |
 * | ------------------------------------ | ------------------------------- |
 * | unquoted (also in `$(...)`, backticks) | `"${CRONPLANE_PARAM_who}"`      |
 * | `"..."`, unquoted here-document body | `${CRONPLANE_PARAM_who}`        |
 * | `'...'`                              | `'"${CRONPLANE_PARAM_who}"'`    |
 * | `$'...'`                             | `'"${CRONPLANE_PARAM_who}"$'`   |
 *
 * Comments are left alone. Where the shell cannot expand a variable as plain data the
 * placeholder is a problem instead: a quoted here-document (`<<'EOF'`, nothing expands there),
 * arithmetic (`$((...))`, `((...))`, `$[...]`: bash evaluates the value as an expression, and
 * array subscripts in it can run commands), inside `${...}` and `\{name}`. `${name}` itself is
 * the shell's variable, never a placeholder: it is left as written.
 *
 * `isPlaceholder` says which `{name}`s are placeholders; other braces are the script's own.
 */
export function placeShellReferences(
  script: string,
  isPlaceholder: (name: string) => boolean,
): ShellReferences {
  const scanner = new Scanner(script, isPlaceholder);
  scanner.unquoted(undefined);
  return scanner.result();
}

type Quoting = 'unquoted' | 'double' | 'single' | 'dollar-single' | 'heredoc';

function reference(variable: string, quoting: Quoting): string {
  switch (quoting) {
    case 'unquoted':
      return `"\${${variable}}"`;
    case 'double':
    case 'heredoc':
      return `\${${variable}}`;
    case 'single':
      return `'"\${${variable}}"'`;
    case 'dollar-single':
      return `'"\${${variable}}"$'`;
  }
}

const insideParameter =
  'a placeholder inside ${...} cannot be passed to the shell as data; write it outside the braces';
const insideArithmetic =
  'a placeholder inside shell arithmetic ($((...)), ((...)), $[...]) would be evaluated as an expression, which can run commands; pass it as an argument and check it in the script';
const quotedHeredoc =
  "a placeholder in a quoted here-document (<<'EOF') cannot be expanded by the shell; use an unquoted delimiter (<<EOF), where it is expanded as data";
const escaped = 'a placeholder after a backslash stays literal text in a shell script; remove the backslash';

/** Characters after which a `#` starts a comment and `((` an arithmetic command. */
const wordBreak = /[\s;&|()<>]/;

interface Heredoc {
  readonly delimiter: string;
  readonly stripTabs: boolean;
  readonly quoted: boolean;
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

class Scanner {
  readonly #src: string;
  readonly #isPlaceholder: (name: string) => boolean;
  readonly #replacements: Replacement[] = [];
  readonly #problems: ShellPlaceholderProblem[] = [];
  readonly #used = new Set<string>();
  #pending: Heredoc[] = [];
  /** Set inside `${...}` and arithmetic: a placeholder there is this problem. */
  #forbidden: string | undefined;
  #pos = 0;
  #limit: number;

  constructor(src: string, isPlaceholder: (name: string) => boolean) {
    this.#src = src;
    this.#isPlaceholder = isPlaceholder;
    this.#limit = src.length;
  }

  result(): ShellReferences {
    let script = '';
    let last = 0;
    for (const { start, end, text } of this.#replacements) {
      script += this.#src.slice(last, start) + text;
      last = end;
    }
    script += this.#src.slice(last);
    return { script, used: [...this.#used], problems: this.#problems };
  }

  /** The name of a placeholder at `at`, if one stands there (`${name}` is the shell's, never one). */
  #nameAt(at: number): string | undefined {
    if (!opensPlaceholder(this.#src, at)) return undefined;
    const pattern = /\{([A-Za-z_][A-Za-z0-9_]*)\}/y;
    pattern.lastIndex = at;
    const match = pattern.exec(this.#src);
    const name = match?.[1];
    return name !== undefined && this.#isPlaceholder(name) ? name : undefined;
  }

  /** Replaces a placeholder at the position (or reports it); false when none is there. */
  #placeholder(quoting: Quoting, prefix = ''): boolean {
    const start = this.#pos;
    const name = this.#nameAt(start);
    if (name === undefined) return false;
    const end = start + name.length + 2;
    this.#pos = end;
    if (this.#forbidden !== undefined) {
      this.#problems.push({ offset: start, message: this.#forbidden });
      return true;
    }
    this.#used.add(name);
    this.#replacements.push({ start, end, text: prefix + reference(paramVariable(name), quoting) });
    return true;
  }

  #escapedPlaceholder(): void {
    // At a backslash: `\{name}` is the literal text, never the value.
    if (this.#nameAt(this.#pos + 1) !== undefined) {
      this.#problems.push({ offset: this.#pos, message: escaped });
    }
  }

  /** Top level, `$(...)` (closer `)`) and backticks (closer `` ` ``). Consumes the closer. */
  unquoted(closer: ')' | '`' | undefined): void {
    const src = this.#src;
    let depth = 0;
    let wordStart = true;
    while (this.#pos < this.#limit) {
      const c = src[this.#pos] as string;
      if (c === closer && (closer === '`' || depth === 0)) {
        this.#pos++;
        return;
      }
      if (this.#placeholder('unquoted')) {
        wordStart = false;
        continue;
      }
      switch (c) {
        case '\\':
          this.#escapedPlaceholder();
          this.#pos += 2;
          break;
        case "'":
          this.#pos++;
          this.#single();
          break;
        case '"':
          this.#pos++;
          this.#double('double');
          break;
        case '`':
          this.#pos++;
          this.unquoted('`');
          break;
        case '$':
          this.#dollar(false);
          break;
        case '#':
          if (wordStart) while (this.#pos < this.#limit && src[this.#pos] !== '\n') this.#pos++;
          else this.#pos++;
          break;
        case '\n':
          this.#pos++;
          this.#heredocBodies();
          break;
        case '(':
          if (wordStart && src[this.#pos + 1] === '(') {
            this.#pos += 2;
            this.#arithmetic('))');
          } else {
            depth++;
            this.#pos++;
          }
          break;
        case ')':
          depth = Math.max(0, depth - 1);
          this.#pos++;
          break;
        case '<':
          if (src.startsWith('<<<', this.#pos)) this.#pos += 3;
          else if (src.startsWith('<<', this.#pos)) this.#heredocStart();
          else this.#pos++;
          break;
        default:
          this.#pos++;
      }
      wordStart = wordBreak.test(c) && c !== '\\';
    }
  }

  /** After an opening `"` (or through a here-document body): until the closing `"`. */
  #double(quoting: 'double' | 'heredoc'): void {
    const src = this.#src;
    const escapable = quoting === 'double' ? '$`"\\\n' : '$`\\\n';
    let literalBackslash = false;
    while (this.#pos < this.#limit) {
      const c = src[this.#pos] as string;
      if (quoting === 'double' && c === '"') {
        this.#pos++;
        return;
      }
      // After a literal backslash, `\${...}` would escape the `$`: a second backslash keeps both.
      if (this.#placeholder(quoting, literalBackslash ? '\\' : '')) {
        literalBackslash = false;
        continue;
      }
      literalBackslash = false;
      if (c === '\\') {
        if (escapable.includes(src[this.#pos + 1] ?? '')) this.#pos += 2;
        else {
          literalBackslash = true;
          this.#pos++;
        }
      } else if (c === '`') {
        this.#pos++;
        this.unquoted('`');
      } else if (c === '$') this.#dollar(true);
      else this.#pos++;
    }
  }

  #single(): void {
    while (this.#pos < this.#limit) {
      if (this.#src[this.#pos] === "'") {
        this.#pos++;
        return;
      }
      if (!this.#placeholder('single')) this.#pos++;
    }
  }

  #dollarSingle(): void {
    while (this.#pos < this.#limit) {
      const c = this.#src[this.#pos];
      if (c === "'") {
        this.#pos++;
        return;
      }
      if (this.#placeholder('dollar-single')) continue;
      if (c === '\\') this.#escapedPlaceholder();
      this.#pos += c === '\\' ? 2 : 1;
    }
  }

  /** At a `$`: command substitution, arithmetic, parameter expansion, `$'...'`, or a plain `$`. */
  #dollar(inDouble: boolean): void {
    const src = this.#src;
    const next = src[this.#pos + 1];
    if (src.startsWith('$((', this.#pos)) {
      this.#pos += 3;
      this.#arithmetic('))');
    } else if (next === '(') {
      this.#pos += 2;
      this.unquoted(')');
    } else if (next === '[') {
      this.#pos += 2;
      this.#arithmetic(']');
    } else if (next === '{') {
      this.#pos += 2;
      this.#parameter();
    } else if (next === "'" && !inDouble) {
      this.#pos += 2;
      this.#dollarSingle();
    } else if (next === '"' && !inDouble) {
      this.#pos += 2;
      this.#double('double');
    } else this.#pos++;
  }

  /** After `${`: until the matching `}`; placeholders inside are problems. */
  #parameter(): void {
    this.#within(insideParameter, () => {
      const src = this.#src;
      while (this.#pos < this.#limit) {
        const c = src[this.#pos];
        if (c === '}') {
          this.#pos++;
          return;
        }
        if (this.#placeholder('double')) continue;
        if (c === '\\') this.#pos += 2;
        else if (c === "'") {
          this.#pos++;
          this.#single();
        } else if (c === '"') {
          this.#pos++;
          this.#double('double');
        } else if (c === '`') {
          this.#pos++;
          this.unquoted('`');
        } else if (c === '$') this.#dollar(false);
        else this.#pos++;
      }
    });
  }

  /** After `$((`, `((` or `$[`: until the closer; placeholders inside are problems. */
  #arithmetic(closer: '))' | ']'): void {
    this.#within(insideArithmetic, () => {
      const src = this.#src;
      let depth = 0;
      while (this.#pos < this.#limit) {
        const c = src[this.#pos];
        if (depth === 0 && src.startsWith(closer, this.#pos)) {
          this.#pos += closer.length;
          return;
        }
        if (this.#placeholder('unquoted')) continue;
        if (c === '(' || c === '[') depth++;
        if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
        if (c === '$') this.#dollar(false);
        else if (c === '"') {
          this.#pos++;
          this.#double('double');
        } else if (c === "'") {
          this.#pos++;
          this.#single();
        } else if (c === '`') {
          this.#pos++;
          this.unquoted('`');
        } else this.#pos += c === '\\' ? 2 : 1;
      }
    });
  }

  #within(problem: string, scan: () => void): void {
    const outer = this.#forbidden;
    this.#forbidden = problem;
    try {
      scan();
    } finally {
      this.#forbidden = outer;
    }
  }

  /** At `<<`: reads the delimiter word; the body follows the next newline. */
  #heredocStart(): void {
    const src = this.#src;
    this.#pos += 2;
    const stripTabs = src[this.#pos] === '-';
    if (stripTabs) this.#pos++;
    while (src[this.#pos] === ' ' || src[this.#pos] === '\t') this.#pos++;
    let delimiter = '';
    let quoted = false;
    while (this.#pos < this.#limit) {
      const c = src[this.#pos] as string;
      if (wordBreak.test(c)) break;
      if (c === '\\') {
        quoted = true;
        delimiter += src[this.#pos + 1] ?? '';
        this.#pos += 2;
      } else if (c === "'" || c === '"') {
        quoted = true;
        const end = src.indexOf(c, this.#pos + 1);
        const stop = end === -1 ? this.#limit : end;
        delimiter += src.slice(this.#pos + 1, stop);
        this.#pos = stop + 1;
      } else {
        delimiter += c;
        this.#pos++;
      }
    }
    if (delimiter !== '') this.#pending.push({ delimiter, stripTabs, quoted });
  }

  /** After a newline: the bodies of the here-documents opened on the line just ended. */
  #heredocBodies(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const heredoc of pending) {
      const start = this.#pos;
      let end = this.#limit;
      let after = this.#limit;
      for (let line = start; line < this.#limit;) {
        const newline = this.#src.indexOf('\n', line);
        const lineEnd = newline === -1 || newline > this.#limit ? this.#limit : newline;
        const text = this.#src.slice(line, lineEnd);
        if ((heredoc.stripTabs ? text.replace(/^\t+/, '') : text) === heredoc.delimiter) {
          end = line;
          after = Math.min(this.#limit, lineEnd + 1);
          break;
        }
        line = lineEnd + 1;
      }
      const outerLimit = this.#limit;
      this.#limit = end;
      if (heredoc.quoted) this.#within(quotedHeredoc, () => this.#literal());
      else this.#double('heredoc');
      this.#limit = outerLimit;
      this.#pos = after;
    }
  }

  /** Text the shell never expands: only placeholders matter (as problems). */
  #literal(): void {
    while (this.#pos < this.#limit) if (!this.#placeholder('heredoc')) this.#pos++;
  }
}
