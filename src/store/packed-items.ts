import type { StoredItem } from './decide.js';

type Bulky = 'contentHtml' | 'text';

interface Packed {
  meta: Omit<StoredItem, Bulky>;
  html: Buffer;
  text: Buffer;
}

function pack(item: StoredItem): Packed {
  const { contentHtml, text, ...meta } = item;
  return { meta, html: Buffer.from(contentHtml, 'utf8'), text: Buffer.from(text, 'utf8') };
}

function unpack(packed: Packed): StoredItem {
  return { ...packed.meta, contentHtml: packed.html.toString('utf8'), text: packed.text.toString('utf8') };
}

/**
 * The embedded store's items, with their bulky fields (body HTML and text) held as UTF-8 bytes:
 * Vietnamese text in a JavaScript string takes two bytes a character, in UTF-8 about 1.3. Bodies are
 * decoded only when an item is read (a feed render, a dedup check), never to index or count.
 */
export class PackedItems {
  private readonly packed = new Map<string, Packed>();

  get size(): number {
    return this.packed.size;
  }

  has(id: string): boolean {
    return this.packed.has(id);
  }

  get(id: string): StoredItem | undefined {
    const packed = this.packed.get(id);
    return packed ? unpack(packed) : undefined;
  }

  /** Everything but the bodies, without decoding them. */
  meta(id: string): Omit<StoredItem, Bulky> | undefined {
    return this.packed.get(id)?.meta;
  }

  set(item: StoredItem): void {
    this.packed.set(item.id, pack(item));
  }

  delete(id: string): void {
    this.packed.delete(id);
  }

  *values(): IterableIterator<StoredItem> {
    for (const packed of this.packed.values()) yield unpack(packed);
  }
}
