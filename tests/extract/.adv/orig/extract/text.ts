/** Plain text of a cleaned body: one block per paragraph, separated by a blank line. */
import { cleanText, collapseWhitespace } from '../core/text.js';
import { type AnyNode, type ParentNode, isBlock, isElement, isText, tagOf } from './dom.js';

function inline(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!isElement(node)) return '';
  if (tagOf(node) === 'br') return '\n';
  return node.children.map(inline).join('');
}

function blocks(node: ParentNode, out: string[]): void {
  let run = '';
  const flush = (): void => {
    const lines = run.split('\n').map((l) => collapseWhitespace(l)).filter(Boolean);
    if (lines.length) out.push(lines.join('\n'));
    run = '';
  };
  for (const child of node.children) {
    if (isElement(child) && tagOf(child) === 'table') {
      flush();
      const rows = tableRows(child).filter(Boolean);
      if (rows.length) out.push(rows.join('\n'));
    } else if (isElement(child) && (isBlock(child) || tagOf(child) === 'figure')) {
      flush();
      blocks(child, out);
    } else run += inline(child);
  }
  flush();
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
