import { Loading } from './loading.tsx';
import { Problem } from './problem.tsx';

/** A page whose subject (a job, a run, an event, a monitor) is not read yet: its title, and why not or "Loading…". */
export function LoadingPage({
  title,
  problem,
}: {
  readonly title: string;
  readonly problem: string | undefined;
}) {
  return (
    <main>
      <h1>{title}</h1>
      {problem === undefined ? <Loading /> : <Problem text={problem} />}
    </main>
  );
}
