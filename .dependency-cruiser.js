// The import structure of src/, checked by dependency-cruiser (`npm run lint:imports`): no
// import cycles, and from outside a folder of src/ only its face, `index.ts`, is imported.
// Type-only imports count: a cycle through types is still a cycle in the design.

/** A file in a folder of src/ other than its index.ts. */
const pastTheFace = '^src/[^/]+/.+';
const face = '^src/[^/]+/index[.]ts$';

export default {
  forbidden: [
    {
      name: 'no-cycle',
      comment:
        'A cycle of imports: one of the modules must give up its import (move what both need lower down).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment:
        'Two folders that import each other (through any files): the lower one must not know the higher one.',
      severity: 'error',
      scope: 'folder',
      // Every folder under src/, its subfolders too (api/http, store/postgres ...).
      from: { path: '^src/.+' },
      to: { circular: true },
    },
    {
      name: 'through-the-face',
      comment:
        'From outside a folder of src/, import only its index.ts; export what is needed there, or move the code.',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: pastTheFace, pathNot: [face, '^src/$1/'] },
    },
    {
      name: 'entries-through-the-face',
      comment:
        "The package's entries (src/index.ts, src/client.ts) import folders through their index.ts too.",
      severity: 'error',
      from: { path: '^src/[^/]+[.]ts$' },
      to: { path: pastTheFace, pathNot: face },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6'],
  },
};
