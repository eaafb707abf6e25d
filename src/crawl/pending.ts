import type { ItemStore } from '../core/types.js';

/** An article link a listing gave that no run has settled yet. */
export interface PendingLink {
  url: string;
  section: string;
  /** Runs in which it failed for a reason that may heal. */
  tries: number;
}

/** Where a section's walk was heading when the run stopped. */
export interface PendingPage {
  section: string;
  url: string;
  page: number;
}

interface PendingDocument {
  links: PendingLink[];
  pages: PendingPage[];
}

/** A link failing this many runs in a row for a reason that may heal (5xx, timeouts) is given up. */
export const MAX_LINK_TRIES = 3;

/**
 * The work a source's runs have found but not finished, kept in the store so that an interrupted run
 * (SIGKILL, SIGTERM, store outage) is finished by the next one whatever the listing answers then.
 */
export class PendingWork {
  private readonly links = new Map<string, PendingLink>();
  private readonly pages = new Map<string, PendingPage>();
  private dirty = false;

  private constructor(
    private readonly store: ItemStore,
    private readonly name: string,
    doc: PendingDocument | null,
  ) {
    for (const link of doc?.links ?? []) this.links.set(link.url, link);
    for (const page of doc?.pages ?? []) this.pages.set(page.section, page);
  }

  static async load(store: ItemStore, sourceId: string): Promise<PendingWork> {
    const name = `pending:${sourceId}`;
    return new PendingWork(store, name, await store.getState<PendingDocument>(name));
  }

  /** Links left by earlier runs, oldest first. */
  leftLinks(): PendingLink[] {
    return [...this.links.values()];
  }

  nextPage(section: string): PendingPage | undefined {
    return this.pages.get(section);
  }

  add(section: string, urls: string[]): void {
    for (const url of urls) {
      if (this.links.has(url)) continue;
      this.links.set(url, { url, section, tries: 0 });
      this.dirty = true;
    }
  }

  settled(url: string): void {
    if (this.links.delete(url)) this.dirty = true;
  }

  /** A failure that may heal: tried again by the next run, up to MAX_LINK_TRIES runs. */
  failed(url: string): void {
    const link = this.links.get(url);
    if (!link) return;
    link.tries += 1;
    if (link.tries >= MAX_LINK_TRIES) this.links.delete(url);
    this.dirty = true;
  }

  setNextPage(section: string, next: PendingPage | null): void {
    const current = this.pages.get(section);
    if (!next) {
      if (current) this.pages.delete(section);
      this.dirty ||= current !== undefined;
      return;
    }
    if (current?.url === next.url && current.page === next.page) return;
    this.pages.set(section, next);
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    const empty = this.links.size === 0 && this.pages.size === 0;
    await this.store.setState(this.name, empty ? null : { links: [...this.links.values()], pages: [...this.pages.values()] });
    this.dirty = false;
  }
}
