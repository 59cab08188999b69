import { parseSchedule, compileSchedule, formatIsoInZone } from './src/calendar/index.ts';
function show(expr: string, zone: string, after: string, n = 6) {
  const s = compileSchedule(parseSchedule(expr), { timezone: zone });
  const list = s.upcoming(Date.parse(after), n);
  console.log(expr, zone, '\n   ', list.map((ms) => formatIsoInZone(ms, zone)).join(' '));
  // previous chain back from the last
  const back: number[] = []; let c = list[list.length - 1]! + 1;
  for (let i = 0; i < n; i++) { const p = s.previous(c); if (p === null) break; back.unshift(p); c = p; }
  if (back.join() !== list.join()) console.log('   PREV MISMATCH', back.map((ms) => formatIsoInZone(ms, zone)).join(' '));
}
show('30 2 * * *', 'America/New_York', '2026-03-06T00:00:00Z', 4);
show('30 1 * * *', 'America/New_York', '2026-10-30T00:00:00Z', 4);
show('*/30 * * * *', 'America/New_York', '2026-03-08T05:00:00Z', 6);
show('*/30 * * * *', 'America/New_York', '2026-11-01T04:00:00Z', 8);
show('0 * * * *', 'Europe/Berlin', '2026-10-24T23:00:00Z', 6);
show('30 2 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z', 3);
show('*-*-* 02:30', 'America/New_York', '2026-03-06T00:00:00Z', 3);
show('*-*-* *:00,30', 'America/New_York', '2026-11-01T04:00:00Z', 6);
show('0 2 * * *', 'Australia/Lord_Howe', '2026-10-02T00:00:00Z', 4);
show('*/15 * * * *', 'Australia/Lord_Howe', '2026-10-03T15:00:00Z', 6);
show('*/15 * * * *', 'Australia/Lord_Howe', '2026-04-04T14:00:00Z', 8);
show('30 0 * * *', 'America/Santiago', '2026-09-04T00:00:00Z', 4);
show('0 0 29 2 1', 'Europe/Berlin', '2026-01-01T00:00:00Z', 3);
show('cron(30 2 * * ? *)', 'America/New_York', '2026-03-06T00:00:00Z', 3);
