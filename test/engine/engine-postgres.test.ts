import { after } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { createTestDatabase } from '../support/postgres-database.ts';
import { defineEngineSuite } from './engine-suite.ts';

const databases: { drop: () => Promise<void> }[] = [];
after(async () => {
  for (const database of databases) await database.drop();
});

defineEngineSuite('PostgreSQL', async () => {
  const database = await createTestDatabase('cronplane_engine');
  databases.push(database);
  return openStore(database.url);
});
