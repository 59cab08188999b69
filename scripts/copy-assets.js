// After `tsc`, copies what the build output needs besides JavaScript: the SQL migrations.
import { cpSync } from 'node:fs';

for (const dialect of ['sqlite', 'postgres']) {
  cpSync(`src/store/${dialect}/migrations`, `dist/store/${dialect}/migrations`, { recursive: true });
}
