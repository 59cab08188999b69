/**
 * YAML aliases (`*name`) copy the node their anchor (`&name`) marks. Nested, a few lines expand
 * to billions of nodes ("billion laughs"); an alias without its anchor, or one inside the node it
 * names, cannot be expanded at all. This pass finds those before anything is expanded, in one
 * walk over the document that counts what each alias would copy, and reports the alias itself
 * (its offset in the text) so the problem has a file:line:column like any other.
 */
import { isAlias, isCollection, isDocument, isPair, isScalar } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';

/**
 * How many nodes aliases may add to the file once expanded: a 10,000-job file with a merged
 * `<<: *defaults` of 20 nodes per job adds 200,000; a billion-laughs file adds 10^9.
 */
export const maxAliasExpansion = 1_000_000;

export interface AliasProblem {
  /** Where the alias is in the text. */
  readonly offset: number;
  readonly message: string;
}

/** The first alias that cannot be expanded, or whose copies take the file past `limit` nodes. */
export function checkAliases(document: Document, limit = maxAliasExpansion): AliasProblem | undefined {
  /** Expanded size of the last node seen with each anchor, once that node is complete. */
  const anchors = new Map<string, number>();
  /** Anchors of the collections being walked (an alias to one of them would contain itself). */
  const open = new Set<string>();
  let added = 0;
  let problem: AliasProblem | undefined;

  /** The node's size once expanded; sets `problem` (and stops counting) at the first bad alias. */
  function sizeOf(node: unknown): number {
    if (problem !== undefined) return 0;
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      const size = anchors.get(node.source);
      if (open.has(node.source)) {
        problem = { offset, message: `YAML: alias *${node.source} is inside the node it names` };
      } else if (size === undefined) {
        problem = { offset, message: `YAML: alias *${node.source} has no anchor &${node.source} before it` };
      } else if ((added += size) > limit) {
        problem = {
          offset,
          message:
            `YAML: aliases expand to more than ${limit.toLocaleString('en-US')} nodes (at *${node.source}); ` +
            'a file of nested aliases ("billion laughs") is refused',
        };
      }
      return size ?? 0;
    }
    if (isPair(node)) return sizeOf((node as Pair).key) + sizeOf((node as Pair).value);
    if (!isScalar(node) && !isCollection(node)) return 0;
    const anchor = (node as YamlNode).anchor;
    if (anchor !== undefined && isCollection(node)) open.add(anchor);
    let size = 1;
    if (isCollection(node)) for (const item of node.items) size += sizeOf(item);
    if (anchor !== undefined) {
      open.delete(anchor);
      anchors.set(anchor, size);
    }
    return size;
  }

  sizeOf(isDocument(document) ? document.contents : undefined);
  return problem;
}
