import { after } from 'node:test';
import { createTestDatabase } from '../support/postgres-database.ts';
import { defineDaemonSuite } from './daemon-suite.ts';

const databases: { drop: () => Promise<void> }[] = [];
after(async () => {
  for (const database of databases) await database.drop();
});

defineDaemonSuite('PostgreSQL', async () => {
  const database = await createTestDatabase('cronplane_daemon');
  databases.push(database);
  return database.url;
});
