import { resolveConfig, loadJobFileText, resolvedJobJson } from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
const c = resolveConfig(loadJobFileText('version: 1\njobs:\n  j1: { schedule: "5 * * * *", run: "true" }\n', 'b.yaml', { kinds: builtinKinds }));
const j = resolvedJobJson(c.jobs[0]!);
console.log(j.length); console.log(j);
