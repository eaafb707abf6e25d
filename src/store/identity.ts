import { createHash } from 'node:crypto';
import { collapseWhitespace } from '../core/text.js';
import type { Fingerprint } from '../core/types.js';
import { simhashHex, textFingerprint } from './simhash.js';

export type { Fingerprint };

/** RFC 4122 URL namespace: ids are true UUID v5 of the guid. */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

export function uuidV5(name: string, namespace: Buffer = URL_NAMESPACE): string {
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** guid = the first canonical URL; id = UUID v5 derived from it. */
export function itemGuidFor(canonical: string): { guid: string; id: string } {
  return { guid: canonical, id: uuidV5(canonical) };
}

/** sha256 of NFC, whitespace-collapsed title and text; SimHash of the same. */
export function fingerprint(title: string, text: string): Fingerprint {
  const normalised = `${collapseWhitespace(title.normalize('NFC'))}\n${collapseWhitespace(text.normalize('NFC'))}`;
  const features = textFingerprint(`${title}\n${text}`);
  return {
    anchors: features.anchors,
    sketch: features.sketch,
    contentHash: createHash('sha256').update(normalised, 'utf8').digest('hex'),
    simhash: simhashHex(features.simhash),
  };
}
