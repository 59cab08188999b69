/**
 * The examples of docs/api.md: the job file they run against (the ```yaml block after
 * `<!-- api-doc: job file -->`), and each request (a ```http block) with the answer shown after
 * it (a block whose info string is `json STATUS` or `text STATUS`).
 */

export interface DocExample {
  readonly line: number;
  readonly method: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly status: number;
  readonly answerKind: 'json' | 'text';
  readonly answer: string;
}

export interface ApiDoc {
  readonly jobFile: string;
  readonly examples: readonly DocExample[];
}

interface Block {
  readonly info: string;
  readonly text: string;
  readonly line: number;
}

function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const open = /^```(.*)$/.exec(lines[index] ?? '');
    if (open === null) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && lines[index] !== '```'; index++) body.push(lines[index] ?? '');
    blocks.push({ info: (open[1] ?? '').trim(), text: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

export function parseApiDoc(markdown: string): ApiDoc {
  const marker = markdown.indexOf('<!-- api-doc: job file -->');
  if (marker === -1) throw new Error('docs/api.md has no <!-- api-doc: job file --> marker');
  const jobFile = blocksOf(markdown.slice(marker)).find((block) => block.info === 'yaml');
  if (jobFile === undefined) throw new Error('no yaml block after the job-file marker');
  const blocks = blocksOf(markdown);
  const examples: DocExample[] = [];
  blocks.forEach((block, index) => {
    if (block.info !== 'http') return;
    const answer = blocks[index + 1];
    const answerInfo = /^(json|text) (\d{3})$/.exec(answer?.info ?? '');
    if (answer === undefined || answerInfo === null) {
      throw new Error(`docs/api.md:${block.line}: a request must be followed by its answer (\`\`\`json 200)`);
    }
    const [head, ...rest] = block.text.split('\n\n');
    const [requestLine, ...headerLines] = (head ?? '').split('\n');
    const request = /^(GET|POST|PUT|PATCH|DELETE) (\S+)$/.exec(requestLine ?? '');
    if (request === null) throw new Error(`docs/api.md:${block.line}: expected "METHOD /path" first`);
    const headers = Object.fromEntries(
      headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    const body = rest.join('\n\n').trim();
    examples.push({
      line: block.line,
      method: request[1] as string,
      target: request[2] as string,
      headers,
      body: body === '' ? undefined : body,
      status: Number(answerInfo[2]),
      answerKind: answerInfo[1] as 'json' | 'text',
      answer: answer.text,
    });
  });
  return { jobFile: jobFile.text, examples };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Whether an actual answer matches the documented one: same keys (documented ones present),
 * same strings, booleans and nulls; numbers and instants only of the same kind (ids, times and
 * durations differ from run to run), tokens, instance ids (UUIDs) and job-file hashes of the same form. Returns the first difference.
 */
export function differenceFrom(documented: unknown, actual: unknown, path = '$'): string | undefined {
  if (typeof documented === 'number')
    return typeof actual === 'number' ? undefined : `${path}: expected a number`;
  if (typeof documented === 'string') {
    if (isoInstant.test(documented))
      return typeof actual === 'string' && isoInstant.test(actual)
        ? undefined
        : `${path}: expected an instant`;
    if (documented.startsWith('cpt_'))
      return typeof actual === 'string' && /^cpt_[0-9a-f]{12}_/.test(actual)
        ? undefined
        : `${path}: expected a token`;
    if (uuid.test(documented))
      return typeof actual === 'string' && uuid.test(actual) ? undefined : `${path}: expected a UUID`;
    if (/^[0-9a-f]{16}$/.test(documented))
      return typeof actual === 'string' && /^[0-9a-f]{16}$/.test(actual)
        ? undefined
        : `${path}: expected a job-file hash`;
    if (/^[0-9a-f]{12}$/.test(documented))
      return typeof actual === 'string' && /^[0-9a-f]{12}$/.test(actual)
        ? undefined
        : `${path}: expected a token id`;
    if (/\/ping\/[0-9a-f]{32}$/.test(documented))
      return typeof actual === 'string' &&
        /[0-9a-f]{32}$/.test(actual) &&
        actual.slice(0, -32) === documented.slice(0, -32)
        ? undefined
        : `${path}: expected a ping URL like ${documented}, got ${JSON.stringify(actual)}`;
    return documented === actual
      ? undefined
      : `${path}: documented ${JSON.stringify(documented)}, got ${JSON.stringify(actual)}`;
  }
  if (documented === null || typeof documented === 'boolean') {
    return documented === actual
      ? undefined
      : `${path}: documented ${String(documented)}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(documented)) {
    if (!Array.isArray(actual)) return `${path}: expected an array`;
    if (actual.length !== documented.length)
      return `${path}: documented ${documented.length} items, got ${actual.length}`;
    for (let index = 0; index < documented.length; index++) {
      const difference = differenceFrom(documented[index], actual[index], `${path}[${index}]`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  if (typeof documented === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return `${path}: expected an object`;
    const actualKeys = Object.keys(actual);
    const documentedKeys = Object.keys(documented);
    const undocumented = actualKeys.filter((key) => !documentedKeys.includes(key));
    if (undocumented.length > 0)
      return `${path}: the answer has keys the doc does not show: ${undocumented.join(', ')}`;
    for (const key of documentedKeys) {
      const difference = differenceFrom(
        (documented as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return `${path}: cannot compare ${typeof documented}`;
}
