import { CronplaneError } from '../errors/index.ts';
import type { ParamSpec } from './param-spec.ts';
import { describeParamRule, maxParamLength } from './param-spec.ts';

const integerText = /^[+-]?[0-9]+$/;
const numberText = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const trueText = /^(?:true|yes|1)$/i;
const falseText = /^(?:false|no|0)$/i;
// C0 control characters other than TAB, LF and CR.
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const lineBreak = /[\r\n]/;

/**
 * Checks one value against its parameter's rule and gives it in canonical form (`007` → `7`,
 * `YES` → `true`); throws `param.invalid` at `params.<name>`, naming the parameter and the rule.
 * The value itself is never part of the message: it may be a secret, or an attack.
 */
export function checkParamValue(name: string, spec: ParamSpec, value: string): string {
  const refuse = (rule: string) =>
    new CronplaneError('param.invalid', `parameter "${name}" ${rule}`, {
      location: { path: `params.${name}` },
    });
  if (value.length > maxParamLength) throw refuse(`must be at most ${maxParamLength} characters long`);
  if (controlCharacter.test(value)) {
    throw refuse('must not contain control characters (U+0000 to U+001F other than tab, LF and CR)');
  }
  if (spec.inHeader && lineBreak.test(value)) {
    throw refuse('must not contain CR or LF: it is sent in an HTTP header');
  }
  switch (spec.type) {
    case 'string':
      if (!spec.regex.test(value)) throw refuse(describeParamRule(spec));
      return value;
    case 'integer':
    case 'number': {
      const number = (spec.type === 'integer' ? integerText : numberText).test(value) ? Number(value) : NaN;
      const fits =
        (spec.type === 'integer' ? Number.isSafeInteger(number) : Number.isFinite(number)) &&
        (spec.min === undefined || number >= spec.min) &&
        (spec.max === undefined || number <= spec.max);
      if (!fits) throw refuse(describeParamRule(spec));
      // String(-0) is "0": one spelling per number.
      return String(number);
    }
    case 'boolean':
      if (trueText.test(value)) return 'true';
      if (falseText.test(value)) return 'false';
      throw refuse(describeParamRule(spec));
    case 'enum':
      if (!spec.values.includes(value)) throw refuse(describeParamRule(spec));
      return value;
    default: {
      const unknown: never = spec;
      throw new Error(`unknown parameter type ${JSON.stringify(unknown)}`);
    }
  }
}
