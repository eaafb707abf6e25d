/** Tables: layout tables become their cells' content; data tables stay. */
import { type AnyNode, type Element, createElement, elementChildren, hasBlockChild, hasDescendant, tagOf, textOf } from '../dom.js';
import { findTagged, hasText, replaceWith } from './tree.js';

/** A data table has headings, or at least this many rows and columns and few long cells (long cells are layout). */
const DATA_TABLE = { minRows: 2, minColumns: 2, longCell: 200, maxLongShare: 0.2 } as const;

export function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of elementChildren(table)) {
    const tag = tagOf(child);
    if (tag === 'tr') rows.push(child);
    else if (tag === 'tbody' || tag === 'thead' || tag === 'tfoot') rows.push(...elementChildren(child).filter((r) => tagOf(r) === 'tr'));
  }
  return rows;
}

function isDataTable(table: Element): boolean {
  if (hasDescendant(table, 'table') || hasDescendant(table, 'img')) return false;
  if (hasDescendant(table, 'th') || hasDescendant(table, 'thead') || hasDescendant(table, 'caption')) return true;
  const rows = rowsOf(table);
  const maxCols = Math.max(0, ...rows.map((r) => elementChildren(r).filter((c) => tagOf(c) === 'td' || tagOf(c) === 'th').length));
  if (rows.length < DATA_TABLE.minRows || maxCols < DATA_TABLE.minColumns) return false;
  const cells = findTagged(table, 'td');
  const long = cells.filter((c) => textOf(c).length > DATA_TABLE.longCell).length;
  return long <= cells.length * DATA_TABLE.maxLongShare;
}

/** Layout tables become their cells' content; data tables stay. `tables` in document order. */
export function flattenTables(tables: Element[]): void {
  // Innermost first.
  for (const table of tables.reverse()) {
    if (!table.parent || isDataTable(table)) continue;
    const out: AnyNode[] = [];
    for (const row of rowsOf(table)) {
      for (const cell of elementChildren(row)) {
        if (hasBlockChild(cell)) out.push(...cell.children);
        else if (hasText(cell) || hasDescendant(cell, 'img')) {
          out.push(createElement('p', {}, [...cell.children]));
        }
      }
    }
    replaceWith(table, out);
  }
}
