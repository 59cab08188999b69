export {
  opensPlaceholder,
  placeholderPattern,
  quoteForShell,
  substitutePlaceholders,
  valueOf,
} from './substitute-placeholders.ts';
export { paramVariable, placeShellReferences } from './place-shell-references.ts';
export type { ShellPlaceholderProblem, ShellReferences } from './place-shell-references.ts';
export { shellScriptIndex } from './shell-script-index.ts';
export { encodeComponent, substituteUrl } from './substitute-url.ts';
export {
  BodyKind,
  bodyKind,
  contentTypeIn,
  jsonPlaceholderProblems,
  substituteBody,
} from './substitute-body.ts';
export type { BodyPlaceholderProblem } from './substitute-body.ts';
export { substituteHeader } from './substitute-header.ts';
