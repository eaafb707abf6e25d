import { foldedWords } from '../core/text.js';

/** Words per shingle; see README.md for why 3. */
export const SHINGLE_SIZE = 3;
export const BAND_COUNT = 4;
const MASK64 = (1n << 64n) - 1n;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Two 32-bit FNV-1a hashes with different offset bases, each finished with murmur3's fmix32 so every
 * output bit depends on every input character; together they are the shingle's 64-bit hash. Plain
 * 32-bit arithmetic: BigInt or crypto digests per shingle cost 10–30× more.
 */
function hashPair(input: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return [fmix32(a), fmix32(b ^ input.length)];
}

/** 64-bit hash of a string (the shingle hash SimHash uses). */
export function hash64(input: string): bigint {
  const [hi, lo] = hashPair(input);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Word shingles of NFC, accent-folded text with their counts. */
export function shingles(text: string, size = SHINGLE_SIZE): Map<string, number> {
  const words = foldedWords(text.normalize('NFC'));
  const out = new Map<string, number>();
  if (words.length === 0) return out;
  const last = Math.max(0, words.length - size);
  for (let i = 0; i <= last; i++) {
    const shingle = words.slice(i, i + size).join(' ');
    out.set(shingle, (out.get(shingle) ?? 0) + 1);
  }
  return out;
}

export interface TextFingerprint {
  simhash: bigint;
  /** MinHash anchor keys, see anchorKeys. */
  anchors: string[];
  /** MinHash sketch, see sketchOf. */
  sketch: string;
}

/** SimHash, MinHash anchors and sketch of title + text in one pass over the shingles. */
export function textFingerprint(text: string): TextFingerprint {
  const weights = new Float64Array(64);
  const mins: number[] = new Array<number>(SKETCH_SIZE).fill(Number.MAX_SAFE_INTEGER);
  for (const [shingle, count] of shingles(text)) {
    const [hi, lo] = hashPair(shingle);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit] = (weights[bit] ?? 0) + ((lo >>> bit) & 1 ? count : -count);
      weights[bit + 32] = (weights[bit + 32] ?? 0) + ((hi >>> bit) & 1 ? count : -count);
    }
    for (let i = 0; i < SKETCH_SIZE; i++) {
      // Independent MinHash permutations by double hashing (Kirsch–Mitzenmacher).
      const v = fmix32((hi + Math.imul(i + 1, lo)) >>> 0);
      if (v < (mins[i] as number)) mins[i] = v;
    }
  }
  let simhash = 0n;
  for (let bit = 63; bit >= 0; bit--) simhash = (simhash << 1n) | ((weights[bit] ?? 0) > 0 ? 1n : 0n);
  if (mins[0] === Number.MAX_SAFE_INTEGER) return { simhash, anchors: [], sketch: '' };
  const anchors = mins.slice(0, ANCHOR_COUNT).map((m, i) => `a${i}:${m.toString(16).padStart(8, '0')}`);
  return { simhash, anchors, sketch: sketchOf(mins) };
}

/**
 * The low byte of each of the SKETCH_SIZE MinHash minima (b-bit MinHash), as hex: two texts with
 * resemblance J agree on a slot with probability J + (1 − J)/256. 32 bytes per item tell, without
 * either text, whether an exact resemblance check can pass (see sharedSlots).
 */
function sketchOf(mins: number[]): string {
  let out = '';
  for (const m of mins) out += (m & 0xff).toString(16).padStart(2, '0');
  return out;
}

/** Slots on which two sketches agree; -1 when they cannot be compared (an item stored before sketches). */
export function sharedSlots(a: string, b: string): number {
  if (a.length !== SKETCH_SIZE * 2 || b.length !== a.length) return -1;
  let shared = 0;
  for (let i = 0; i < a.length; i += 2) if (a.charCodeAt(i) === b.charCodeAt(i) && a.charCodeAt(i + 1) === b.charCodeAt(i + 1)) shared++;
  return shared;
}

/** 64-bit SimHash of NFC, accent-folded word 3-shingles. */
export function simhash64(text: string): bigint {
  return textFingerprint(text).simhash;
}

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function hammingDistance(a: bigint, b: bigint): number {
  const x = (a ^ b) & MASK64;
  return popcount32(Number(x >> 32n)) + popcount32(Number(x & 0xffffffffn));
}

const HEX_VALUE = new Uint8Array(128);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
const NIBBLE_BITS = new Uint8Array([0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4]);

/** Hamming distance of two SimHashes in (lower-case) hex, digit by digit: no BigInt nor substrings per candidate. */
export function simhashDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < 16; i++) distance += NIBBLE_BITS[((HEX_VALUE[a.charCodeAt(i) & 127] ?? 0) ^ (HEX_VALUE[b.charCodeAt(i) & 127] ?? 0)) & 15] ?? 0;
  return distance;
}

export function simhashHex(value: bigint): string {
  return value.toString(16).padStart(16, '0');
}

export function parseSimhash(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

/** Set of shingles of title+text, for exact resemblance checks of the few candidates an index lookup returns. */
export function shingleSet(text: string): Set<string> {
  return new Set(shingles(text).keys());
}

/** Jaccard resemblance of two shingle sets. */
export function resemblance(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

export const ANCHOR_COUNT = 4;
/** MinHash minima per text; the first ANCHOR_COUNT are the anchors. */
export const SKETCH_SIZE = 32;

/**
 * MinHash anchors: for each of four independent hash slices, the smallest over all shingles. Two
 * texts with Jaccard resemblance J share each anchor with probability J, so a near copy (J ≥ 0.8)
 * shares at least one of four with probability ≥ 0.998, whatever its SimHash distance.
 */
export function anchorKeys(text: string): string[] {
  return textFingerprint(text).anchors;
}

/**
 * Band keys of a fingerprint: four 16-bit slices. Two fingerprints within Hamming distance 3 share
 * at least one slice (pigeonhole), so looking up the four band sets finds every such neighbour.
 */
export function bandKeys(hex: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < BAND_COUNT; i++) keys.push(`b${i}:${hex.slice(i * 4, i * 4 + 4)}`);
  return keys;
}
