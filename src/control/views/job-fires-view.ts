import { z } from 'zod';

export const jobFiresSchema = z
  .object({
    job: z.string(),
    timezone: z.string().describe("the job's zone: its calendar schedules are wall-clock times there"),
    paused: z.boolean().describe('a paused job does not fire at these times until resumed'),
    fires: z
      .array(
        z.object({
          at: z.string().describe('the instant, ISO 8601 in UTC'),
          schedule: z.string().describe('the schedule that fires then, as the job file writes it'),
        }),
      )
      .describe(
        'the next fires from the calendar, earliest first; fewer when it ends, none for a disabled job',
      ),
  })
  .describe("a job's next fires");
export type JobFiresView = z.output<typeof jobFiresSchema>;
