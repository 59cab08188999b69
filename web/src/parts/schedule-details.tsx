import type { JobFires, JobView } from '../types.ts';
import { Loading } from './loading.tsx';
import { Problem } from './problem.tsx';
import { useApiView } from './use-api-view.ts';
import { When } from './when.tsx';

/** How many fires the job page lists. */
const fireCount = 10;

/**
 * A job's schedules for its page (the job as the page read it): per schedule the words, the text as written, its normal form
 * and kind; then the next 10 fires (viewer's zone, UTC on hover), each with its schedule when
 * there are several.
 */
export function ScheduleDetails({ job }: { readonly job: JobView }) {
  // Read again when the job is paused or resumed: a paused job fires nothing.
  const { view: fires, problem } = useApiView<JobFires>(
    `/api/jobs/${encodeURIComponent(job.name)}/fires?count=${fireCount}`,
    { version: job.paused },
  );

  return (
    <section class="schedule-details" aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">Schedule</h2>
      <Problem text={problem} />
      {fires === undefined ? (
        problem === undefined && <Loading />
      ) : job.calendar.length === 0 ? (
        <p class="muted">On demand: the job has no schedule.</p>
      ) : (
        <>
          <table class="schedule-table">
            <thead>
              <tr>
                <th scope="col">In words</th>
                <th scope="col">As written</th>
                <th scope="col">Normal form</th>
                <th scope="col">Kind</th>
              </tr>
            </thead>
            <tbody>
              {job.calendar.map((schedule, index) => (
                <tr key={`${index}:${schedule.text}`}>
                  <td>{schedule.words}</td>
                  <td>
                    <code>{schedule.text}</code>
                  </td>
                  <td>
                    <code>{schedule.normalForm}</code>
                  </td>
                  <td>{schedule.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">
            Calendar times are wall-clock times in {fires.timezone}; the fires below are in your zone, UTC on
            hover.
          </p>
          <h3>Next {fireCount} fires</h3>
          {fires.paused && (
            <p class="paused-note">Paused: the job does not fire at these times until it is resumed.</p>
          )}
          {fires.fires.length === 0 ? (
            <p class="muted">It never fires again.</p>
          ) : (
            <ol class="fires">
              {fires.fires.map((fire) => (
                <li key={`${fire.at}:${fire.schedule}`}>
                  <When at={fire.at} />
                  {job.calendar.length > 1 && (
                    <span class="muted">
                      {' '}
                      from <code>{fire.schedule}</code>
                    </span>
                  )}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
