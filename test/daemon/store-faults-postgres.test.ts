import { after } from 'node:test';
import { createPostgresHarness, postgresTestUrl } from '../support/postgres.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { defineStoreFaultSuite } from './store-faults-suite.ts';

const harness = await createPostgresHarness();
const server = new URL(postgresTestUrl);
const proxies: TcpProxy[] = [];
after(async () => {
  for (const proxy of proxies) await proxy.close();
  await harness.close();
});

defineStoreFaultSuite('PostgreSQL', 'the server cannot be reached', async () => {
  await harness.reset();
  const proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
  proxies.push(proxy);
  const url = proxy.rewrite(harness.url);
  return {
    url,
    open: (options = {}) => harness.open(url, options),
    begin: () => proxy.cut(),
    end: () => proxy.restore(),
    reason: /ECONNREFUSED|ECONNRESET|Connection terminated/,
  };
});
