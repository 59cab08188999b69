/**
 * Every shell command the docs write in a fenced code block, with its `file:line`: the lines of
 * ```sh, ```bash, ```shell and ```console blocks, and the lines of other blocks that start with
 * `$ `, `cronplane`, `npx cronplane`, `node bin/cronplane.js` or `npm run`, read the way a shell
 * reads them (quotes, `\` continuations, `#` comments, `&&`, `;`, `|`, `$(...)`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { markedBlocks } from '../support/marked-blocks.ts';

/** The pages whose commands are tested: the README, the examples' READMEs and docs/*.md. */
export function docPages(root: string): string[] {
  const examples = readdirSync(path.join(root, 'examples'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `examples/${entry.name}/README.md`)
    .filter((file) => readdirSync(path.join(root, path.dirname(file))).includes('README.md'));
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...examples.sort(), ...docs.sort()];
}

export interface DocCommand {
  /** `docs/cli.md:282`: where the command starts. */
  readonly where: string;
  readonly file: string;
  readonly line: number;
  /** The words the shell would pass, quotes removed; `$(...)` and `$VAR` left as written. */
  readonly argv: readonly string[];
  /** `VAR=value` written in front of the command. */
  readonly env: Readonly<Record<string, string>>;
  /** The words joined by single spaces: what the allow-list names. */
  readonly text: string;
  /** The marker comment of its block (`sample: operator-session`), if any. */
  readonly marker: string | undefined;
  /** Its place among the commands of its block, from 0 (a block is one shell session). */
  readonly block: number;
  /** True for a usage line (`cronplane import [--from crontab|systemd] PATH...`), checked by its options only. */
  readonly synopsis: boolean;
}

const shellLanguages = new Set(['sh', 'bash', 'shell', 'console']);
const commandStart = /^(\$ |cronplane( |$)|npx cronplane( |$)|node bin\/cronplane\.js( |$)|npm run )/;
/** `[--opt`, `[FILE]`, `PATH...` or `a|b` inside a word: a usage line, not a command to type. */
const synopsisMark = /\[(-|[A-Z])|[A-Z]\.\.\.|\w\|\w/;

export function docCommands(root: string): DocCommand[] {
  const commands: DocCommand[] = [];
  let block = 0;
  for (const file of docPages(root)) {
    for (const fenced of markedBlocks(readFileSync(path.join(root, file), 'utf8'))) {
      block++;
      const lines = fenced.text.split('\n');
      const shell = shellLanguages.has(fenced.language);
      for (let index = 0; index < lines.length; index++) {
        const first = fenced.line + 1 + index;
        let source = lines[index] ?? '';
        const prompted = source.startsWith('$ ');
        if (fenced.language === 'console' || !shell) {
          if (!prompted && (fenced.language === 'console' || !commandStart.test(source.trim()))) continue;
        }
        if (prompted) source = source.slice(2);
        while (source.endsWith('\\') && index + 1 < lines.length)
          source = `${source.slice(0, -1)} ${lines[++index]}`;
        const synopsis = synopsisMark.test(source.replace(/'[^']*'/g, "''"));
        const parsed = synopsis ? [source.replace(/#.*$/, '').trim().split(/\s+/)] : splitShell(source);
        for (const words of parsed) {
          const env: Record<string, string> = {};
          while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0] ?? '')) {
            const [name = '', ...value] = (words.shift() ?? '').split('=');
            env[name] = value.join('=');
          }
          // Assignments only (an env file, `export VAR=...`) set variables and run nothing.
          if (words.length === 0 || words[0] === 'export') continue;
          commands.push({
            where: `${file}:${first}`,
            file,
            line: first,
            argv: words,
            env,
            text: words.join(' '),
            marker: fenced.marker,
            block,
            synopsis,
          });
        }
      }
    }
  }
  return commands;
}

/**
 * One line of shell as the commands it holds, each as its words: `a && b | c; d` is four, and a
 * `$(...)` inside a word is one more (the word keeps its text). Redirections (`> FILE`) are
 * dropped, comments end the line.
 */
export function splitShell(source: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = (): void => {
    endWord();
    commands.push(words);
    words = [];
  };
  for (let at = 0; at < source.length; at++) {
    const char = source[at] ?? '';
    if (char === "'") {
      const close = source.indexOf("'", at + 1);
      word = (word ?? '') + source.slice(at + 1, close < 0 ? undefined : close);
      at = close < 0 ? source.length : close;
    } else if (char === '"') {
      let text = '';
      for (at++; at < source.length && source[at] !== '"'; at++) {
        if (source[at] === '\\' && at + 1 < source.length) at++;
        else if (source.startsWith('$(', at)) {
          const close = closingParen(source, at + 1);
          commands.push(...splitShell(source.slice(at + 2, close)));
          text += source.slice(at, close + 1);
          at = close;
          continue;
        }
        text += source[at];
      }
      word = (word ?? '') + text;
    } else if (source.startsWith('$(', at)) {
      const close = closingParen(source, at + 1);
      commands.push(...splitShell(source.slice(at + 2, close)));
      word = (word ?? '') + source.slice(at, close + 1);
      at = close;
    } else if (char === '\\' && at + 1 < source.length) {
      word = (word ?? '') + source[++at];
    } else if (char === '#' && word === undefined) {
      break;
    } else if (char === ' ' || char === '\t') {
      endWord();
    } else if (char === '&' || char === '|' || char === ';') {
      if (source[at + 1] === char) at++;
      endCommand();
    } else if (char === '>' || char === '<') {
      endWord();
      if (source[at + 1] === '>') at++;
      // The target of the redirection is not a word of the command.
      while (source[at + 1] === ' ') at++;
      const rest = /^("[^"]*"|'[^']*'|\S+)/.exec(source.slice(at + 1))?.[0] ?? '';
      at += rest.length;
    } else {
      word = (word ?? '') + char;
    }
  }
  endCommand();
  return commands.filter((command) => command.length > 0);
}

function closingParen(source: string, open: number): number {
  let depth = 0;
  for (let at = open; at < source.length; at++) {
    if (source[at] === '(') depth++;
    else if (source[at] === ')' && --depth === 0) return at;
  }
  return source.length;
}

/** The arguments a doc command gives `cronplane`, or undefined when it runs another program. */
export function cronplaneArgs(command: DocCommand): readonly string[] | undefined {
  const [program, second] = command.argv;
  if (program === 'cronplane') return command.argv.slice(1);
  if (program === 'npx' && second === 'cronplane') return command.argv.slice(2);
  if ((program === 'node' || program?.endsWith('/node') === true) && second === 'bin/cronplane.js')
    return command.argv.slice(2);
  return undefined;
}

/** The npm script a doc command runs (`npm start`, `npm run chaos`), or undefined. */
export function npmScript(command: DocCommand): string | undefined {
  const [program, verb, name] = command.argv;
  if (program !== 'npm') return undefined;
  if (verb === 'run' || verb === 'run-script') return name;
  if (verb === 'start' || verb === 'test') return verb;
  return undefined;
}

/**
 * The `cronplane ...` of the pages' text (outside code blocks), as usage: the words up to `--`
 * (what follows is another program's), for those whose first word could be a command.
 */
export function inlineCommands(root: string): DocCommand[] {
  const commands: DocCommand[] = [];
  for (const file of docPages(root)) {
    let fenced = false;
    readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .forEach((source, index) => {
        if (source.startsWith('```')) fenced = !fenced;
        if (fenced || source.startsWith('```')) return;
        for (const span of source.matchAll(/`(?:npx )?cronplane ([^`]*)`/g)) {
          const words = (span[1] ?? '').replace(/\\\|/g, '|').trim().split(/\s+/);
          const end = words.indexOf('--');
          const argv = end < 0 ? words : words.slice(0, end);
          if (!/^[a-z][a-z-]*$/.test(argv[0] ?? '')) continue; // `cronplane --help`, `cronplane COMMAND`
          commands.push({
            where: `${file}:${index + 1}`,
            file,
            line: index + 1,
            argv: ['cronplane', ...argv],
            env: {},
            text: ['cronplane', ...argv].join(' '),
            marker: undefined,
            block: 0,
            synopsis: true,
          });
        }
      });
  }
  return commands;
}

/** The daemon's default address, which the pages' `curl` lines use. */
export const defaultAddress = 'http://127.0.0.1:7070';

/** A `curl` to the daemon's default address: the run test sends it to a daemon of its own. */
export function isLocalCurl(command: DocCommand): boolean {
  return command.argv[0] === 'curl' && command.argv.some((word) => word.startsWith(`${defaultAddress}/`));
}
