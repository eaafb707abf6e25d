/** Plain text of a cleaned body: one block per paragraph, separated by a blank line. */
import { cleanText, collapseWhitespace } from '../core/text.js';
import { type AnyNode, type ParentNode, isBlock, isElement, isText, tagOf } from './dom.js';

function inline(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!isElement(node)) return '';
  if (tagOf(node) === 'br') return '\n';
  let text = '';
  for (const child of node.children) text += inline(child);
  return text;
}

/** The non-empty lines of a run of inline text, white space collapsed, as one block. */
function pushLines(run: string, out: string[]): void {
  if (!run.includes('\n')) {
    const line = collapseWhitespace(run);
    if (line) out.push(line);
    return;
  }
  const lines = run
    .split('\n')
    .map((l) => collapseWhitespace(l))
    .filter(Boolean);
  if (lines.length) out.push(lines.join('\n'));
}

function blocks(node: ParentNode, out: string[]): void {
  let run = '';
  for (const child of node.children) {
    const tag = tagOf(child);
    if (tag === 'table' || tag === 'figure' || isBlock(child)) {
      if (run) pushLines(run, out);
      run = '';
      if (tag !== 'table') blocks(child as ParentNode, out);
      else {
        const rows = tableRows(child as ParentNode).filter(Boolean);
        if (rows.length) out.push(rows.join('\n'));
      }
    } else run += inline(child);
  }
  if (run) pushLines(run, out);
}

function tableRows(node: ParentNode): string[] {
  return node.children.filter(isElement).flatMap((child) => {
    if (tagOf(child) === 'tr') {
      const cells = child.children.filter(isElement).map((c) => collapseWhitespace(blockText(c)));
      return cells.some(Boolean) ? [cells.join(' | ')] : [];
    }
    return tagOf(child) === 'caption' ? [collapseWhitespace(blockText(child))] : tableRows(child);
  });
}

function blockText(node: ParentNode): string {
  const out: string[] = [];
  blocks(node, out);
  return out.join(' ');
}

export function plainText(root: ParentNode): string {
  const out: string[] = [];
  blocks(root, out);
  return cleanText(out.join('\n\n'));
}
