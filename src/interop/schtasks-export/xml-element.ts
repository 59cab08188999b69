/** An XML element: a name, attributes, and either text or child elements. */
export interface XmlElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children?: readonly XmlElement[];
  readonly text?: string;
}

/** An element with text, or with children. */
export function element(
  name: string,
  content?: string | readonly XmlElement[],
  attributes?: Readonly<Record<string, string>>,
): XmlElement {
  return typeof content === 'string'
    ? { name, text: content, ...(attributes === undefined ? {} : { attributes }) }
    : { name, children: content ?? [], ...(attributes === undefined ? {} : { attributes }) };
}

/**
 * The element as indented XML text: `&`, `<`, `>` escaped in text, and `"` too in attributes;
 * characters XML 1.0 cannot hold (controls other than tab, CR and LF) are refused.
 */
export function renderXml(node: XmlElement, indent = ''): string {
  const attributes = Object.entries(node.attributes ?? {})
    .map(([name, value]) => ` ${name}="${escapeXml(value).replaceAll('"', '&quot;')}"`)
    .join('');
  if (node.text !== undefined)
    return `${indent}<${node.name}${attributes}>${escapeXml(node.text)}</${node.name}>`;
  const children = node.children ?? [];
  if (children.length === 0) return `${indent}<${node.name}${attributes} />`;
  return [
    `${indent}<${node.name}${attributes}>`,
    ...children.map((child) => renderXml(child, `${indent}  `)),
    `${indent}</${node.name}>`,
  ].join('\n');
}

function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text))
    throw new Error(`XML cannot hold the control characters of ${JSON.stringify(text)}`);
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}
