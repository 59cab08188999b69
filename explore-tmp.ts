import { Cron } from 'croner';
import { CronExpressionParser } from 'cron-parser';
import { parseSchedule, compileSchedule } from './src/calendar/index.ts';
import { cronGenerator, seededRandom } from './test/calendar/cron-generator.ts';
import { zoneOffsets } from './src/calendar/zone-offsets.ts';
const trans = new Map<string, number[]>();
for (const z of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe']) { const zo = zoneOffsets(z); const list: number[] = []; let t = Date.parse('2024-01-01T00:00:00Z'); for (;;) { const tr = zo.firstTransitionIn(t, Date.parse('2031-01-01T00:00:00Z')); if (!tr) break; list.push(tr.at); t = tr.at; } trans.set(z, list); }
const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const random = seededRandom(Number(process.argv[2] ?? 1));
const gen = cronGenerator(random, { seconds: true, nearestWeekday: process.argv[3] === 'croner' });
const lo = Date.parse('2024-01-01T00:00:00Z'), hi = Date.parse('2031-01-01T00:00:00Z');
let mismatch = 0, n = 0, errors = 0;
for (let i = 0; i < 3000; i++) {
  const expr = gen(); const f = expr.split(' '); const dom = f[f.length - 3]!, dow = f[f.length - 1]!;
  if ((dom.startsWith('*') && dom !== '*' && dow !== '*') || (dow.startsWith('*') && dow !== '*' && dom !== '*')) continue;
  const zone = zones[i % zones.length]!; const tl = trans.get(zone); const start = tl && random() < 0.7 ? tl[Math.floor(random() * tl.length)]! - Math.floor(random() * 4 * 3600_000) : lo + Math.floor(random() * (hi - lo));
  let ours: (number | null)[];
  try { const s = compileSchedule(parseSchedule(expr), { timezone: zone }); ours = s.upcoming(start, 5); } catch (e) { console.log('OURS ERR', expr, (e as Error).message); errors++; continue; }
  let theirs: number[] = [];
  try {
    if (process.argv[3] === 'croner') {
      const c = new Cron(expr, { timezone: zone, fixedTimeRule: 'no-wildcard', mode: '5-or-6-parts' });
      let d = new Date(start); for (let k = 0; k < 5; k++) { const x = c.nextRun(d); if (!x) break; theirs.push(x.getTime()); d = x; }
    } else {
      const it = CronExpressionParser.parse(expr, { currentDate: new Date(start), tz: zone });
      for (let k = 0; k < 5; k++) { try { theirs.push(it.next().getTime()); } catch { break; } }
    }
  } catch (e) { console.log('THEIR ERR', expr, (e as Error).message.slice(0, 80)); continue; }
  n++;
  if (ours.join() !== theirs.join()) { mismatch++; if (mismatch < 25) console.log('MISMATCH', JSON.stringify(expr), zone, new Date(start).toISOString(), '\n  ours  ', ours.map(x => new Date(x!).toISOString()).join(' '), '\n  theirs', theirs.map(x => new Date(x).toISOString()).join(' ')); }
}
console.log({ n, mismatch, errors });
