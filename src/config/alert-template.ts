/**
 * A job's alert message template: text with `{field}` slots filled from the run's metrics, its
 * facts (`exit_code`, `status`, `fan_key`...) and its queue payload (`payload.organization_id`).
 * A template is data: slots are looked up by name, never evaluated.
 */

/** One part of a template: literal text, or a field's slot. */
export type TemplatePart =
  { readonly kind: 'text'; readonly text: string } | { readonly kind: 'field'; readonly field: string };

/** A field name: a metric or fact name, or `payload.` and a payload field. */
export const templateFieldPattern = /^(?:payload\.)?[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a template into parts; answers the problem in words when it is not one. */
export function parseAlertTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest !== '') {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (close !== -1 && (open === -1 || close < open)) {
      return `a "}" without its "{" at character ${template.length - rest.length + close + 1}; braces only go around a field name`;
    }
    if (open === -1) {
      parts.push({ kind: 'text', text: rest });
      break;
    }
    if (open > 0) parts.push({ kind: 'text', text: rest.slice(0, open) });
    if (close === -1) return `a "{" without its "}" at character ${template.length - rest.length + open + 1}`;
    const field = rest.slice(open + 1, close).trim();
    if (!templateFieldPattern.test(field)) {
      return `{${field}} is not a field name: expected a metric or fact name (letters, digits, _) or payload.FIELD`;
    }
    parts.push({ kind: 'field', field });
    rest = rest.slice(close + 1);
  }
  return parts;
}

/** Fills a parsed template; a field the run did not report reads `(none)`. */
export function renderAlertTemplate(
  parts: readonly TemplatePart[],
  fields: Readonly<Record<string, string | number>>,
): string {
  return parts
    .map((part) => {
      if (part.kind === 'text') return part.text;
      const value = Object.hasOwn(fields, part.field) ? fields[part.field] : undefined;
      return value === undefined ? '(none)' : String(value);
    })
    .join('');
}
