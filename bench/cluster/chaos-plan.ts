/**
 * The chaos plan: which disruptions happen when, drawn once from the seed before the run (pure,
 * so a seed always gives the same plan). Targets are chosen when the action comes due, because
 * who leads is only known then; the plan says whether to aim at the leader.
 */
import type { SeededRandom } from './seeded-random.ts';

export const ChaosActionKind = {
  /** `kill -9` of a daemon; it is started again once the cluster fires without it. */
  kill: 'kill',
  /** SIGTERM (a drain and a hand-over); started again the same way. */
  stop: 'stop',
  /** `pg_terminate_backend` of every store connection of one daemon. */
  connections: 'connections',
  /** SIGHUP: the daemon re-reads the job file. */
  sighup: 'sighup',
  /** The shared job file is rewritten (every daemon runs with `--watch`). */
  edit: 'edit',
} as const;
export type ChaosActionKind = keyof typeof ChaosActionKind;

export interface PlannedAction {
  readonly kind: ChaosActionKind;
  /** Milliseconds after the chaos began. */
  readonly atMs: number;
  /** Aim at the scheduler leader (else at a node that does not lead). */
  readonly atLeader: boolean;
}

export interface PlanCounts {
  readonly kills: number;
  readonly stops: number;
  readonly connectionKills: number;
  readonly sighups: number;
  readonly edits: number;
}

/**
 * Spreads the actions over [startMs, endMs): the window is cut into one slot per action and each
 * action falls at a random point of its slot, so they never bunch up. Kills aim at the leader
 * half the time, and at least once whenever there is a kill.
 */
export function planChaos(
  counts: PlanCounts,
  window: { readonly startMs: number; readonly endMs: number },
  random: SeededRandom,
): PlannedAction[] {
  const kinds: ChaosActionKind[] = [
    ...Array<ChaosActionKind>(counts.kills).fill('kill'),
    ...Array<ChaosActionKind>(counts.stops).fill('stop'),
    ...Array<ChaosActionKind>(counts.connectionKills).fill('connections'),
    ...Array<ChaosActionKind>(counts.sighups).fill('sighup'),
    ...Array<ChaosActionKind>(counts.edits).fill('edit'),
  ];
  // Fisher-Yates: the order of kinds over the window.
  for (let index = kinds.length - 1; index > 0; index--) {
    const other = random.below(index + 1);
    [kinds[index], kinds[other]] = [kinds[other] as ChaosActionKind, kinds[index] as ChaosActionKind];
  }
  const slot = (window.endMs - window.startMs) / Math.max(1, kinds.length);
  const actions = kinds.map((kind, index): PlannedAction => ({
    kind,
    atMs: Math.round(window.startMs + slot * index + slot * (0.2 + 0.6 * random.next())),
    atLeader: random.next() < 0.5,
  }));
  const kills = actions.filter((action) => action.kind === 'kill');
  if (kills.length >= 1 && !kills.some((action) => action.atLeader)) {
    const first = actions.indexOf(kills[0] as PlannedAction);
    actions[first] = { ...(kills[0] as PlannedAction), atLeader: true };
  }
  return actions;
}
