import { Fragment } from 'preact';
import type { ComponentChildren } from 'preact';

/** One fact: its name and its value. */
export type Fact = readonly [name: ComponentChildren, value: ComponentChildren];

/**
 * A list of facts, names beside their values (`dl.facts`); a fact given as `false` (one that
 * applies only sometimes, `job.fanOut > 1 && [...]`) is left out.
 */
export function Facts({
  facts,
  kind,
}: {
  readonly facts: readonly (Fact | false)[];
  readonly kind?: string;
}) {
  return (
    <dl class={kind === undefined ? 'facts' : `facts ${kind}`}>
      {facts.map(
        (fact, index) =>
          fact !== false && (
            <Fragment key={index}>
              <dt>{fact[0]}</dt>
              <dd>{fact[1]}</dd>
            </Fragment>
          ),
      )}
    </dl>
  );
}
