import { Cron } from 'croner';
import { CronExpressionParser } from 'cron-parser';
import { parseSchedule, compileSchedule } from './src/calendar/index.ts';
const start = Date.parse('2026-01-01T00:00:00Z');
function ours(expr: string, tz: string, n: number) { const s = compileSchedule(parseSchedule(expr), { timezone: tz }); let t = start; const t0 = performance.now(); for (let i = 0; i < n; i++) { const x = s.next(t); t = x === null ? start : x; } return n / ((performance.now() - t0) / 1000); }
function cr(expr: string, tz: string, n: number) { const c = new Cron(expr, { timezone: tz }); let d = new Date(start); const t0 = performance.now(); for (let i = 0; i < n; i++) { const x = c.nextRun(d); d = x ?? new Date(start); } return n / ((performance.now() - t0) / 1000); }
function cp(expr: string, tz: string, n: number) { const it = CronExpressionParser.parse(expr, { currentDate: new Date(start), tz }); const t0 = performance.now(); for (let i = 0; i < n; i++) { it.next(); } return n / ((performance.now() - t0) / 1000); }
for (const tz of ['UTC', 'America/New_York']) for (const e of ['* * * * *', '*/5 * * * *', '0 2 * * *', '0 9 * * 1-5', '0 0 L * *', '0 0 * * 5#3', '0 0 15W * *', '0 0 29 2 *', '*/10 * * * * *']) {
  ours(e, tz, 20000);
  const a = ours(e, tz, 100000), b = cr(e, tz, 20000), c = cp(e, tz, 5000);
  console.log(tz.padEnd(18), e.padEnd(16), Math.round(a).toString().padStart(10), Math.round(b).toString().padStart(10), Math.round(c).toString().padStart(10), (a/b).toFixed(1), (a/c).toFixed(1));
}
