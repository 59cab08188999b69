import { useRef, useState } from 'preact/hooks';

/**
 * A text to copy (a URL, a command line) with a Copy button: the clipboard when the browser lets
 * the page write to it, else the text is selected for the viewer to copy by hand.
 */
export function CopyText({ text, label }: { readonly text: string; readonly label: string }) {
  const shown = useRef<HTMLElement>(null);
  const [said, setSaid] = useState('');

  const select = () => {
    const element = shown.current;
    const selection = window.getSelection();
    if (element === null || selection === null) return;
    const range = document.createRange();
    range.selectNodeContents(element);
    selection.removeAllRanges();
    selection.addRange(range);
    setSaid('Selected: press Ctrl+C (⌘C) to copy');
  };

  const copy = () => {
    if (navigator.clipboard === undefined || !window.isSecureContext) {
      select();
      return;
    }
    navigator.clipboard.writeText(text).then(() => setSaid('Copied'), select);
  };

  return (
    <span class="copy-text">
      <code ref={shown}>{text}</code>
      <button type="button" aria-label={`Copy ${label}`} onClick={copy}>
        Copy
      </button>
      <span class="copy-said" role="status">
        {said}
      </span>
    </span>
  );
}
