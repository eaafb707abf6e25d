import { foldedWords } from '../core/text.js';

/** Words per shingle; see README.md for why 3. */
export const SHINGLE_SIZE = 3;
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
  return { simhash, anchors: anchorsOf(mins), sketch: sketchOf(mins) };
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

/** MinHash minima per text; the first ANCHOR_COUNT × ANCHOR_ROWS make the anchors. */
export const SKETCH_SIZE = 32;
/**
 * MinHash anchors are LSH bands of ANCHOR_ROWS minima each. A single minimum is shared by chance by every
 * text holding the same low shingle (common phrases: 8.6 chance candidates per lookup at 100k stored
 * bench texts); two at once almost never are. A near copy with resemblance J shares a band with
 * probability J², so one of eight with 1 − (1 − J²)⁸: 0.9986 at J = 0.75, 0.9997 at J = 0.8.
 */
export const ANCHOR_COUNT = 8;
const ANCHOR_ROWS = 2;

const hex8 = (m: number): string => m.toString(16).padStart(8, '0');

/** Anchor keys `m{i}:{16 hex}`: band i joins minima i·ANCHOR_ROWS … (the older one-minimum keys were `a{i}:`). */
function anchorsOf(mins: number[]): string[] {
  const anchors: string[] = [];
  for (let i = 0; i < ANCHOR_COUNT; i++)
    anchors.push(
      `m${i}:${mins
        .slice(i * ANCHOR_ROWS, (i + 1) * ANCHOR_ROWS)
        .map(hex8)
        .join('')}`,
    );
  return anchors;
}

/** MinHash anchor keys of a text (see ANCHOR_COUNT). */
export function anchorKeys(text: string): string[] {
  return textFingerprint(text).anchors;
}

/** SimHash index blocks, bit widths from the top bit; every index key is BLOCKS_PER_KEY of them. */
export const SIMHASH_BLOCKS = [13, 13, 13, 13, 12] as const;
const BLOCKS_PER_KEY = 2;
/**
 * The distance the block keys guarantee to catch: fingerprints that differ in at most this many bits
 * leave BLOCKS_PER_KEY blocks untouched, and so share the key of those blocks (Manku et al., permuted blocks).
 */
export const INDEXED_DISTANCE = SIMHASH_BLOCKS.length - BLOCKS_PER_KEY;

function combinations(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first <= n - k; first++)
    for (const rest of combinations(n - first - 1, k - 1)) out.push([first, ...rest.map((r) => r + first + 1)]);
  return out;
}

/** Every choice of BLOCKS_PER_KEY blocks, each as [shift, mask] of its blocks: the 10 keys of 25–26 bits. */
const BLOCK_KEYS = combinations(SIMHASH_BLOCKS.length, BLOCKS_PER_KEY).map((combo) =>
  combo.map((b) => {
    const width = SIMHASH_BLOCKS[b] as number;
    const above = SIMHASH_BLOCKS.slice(0, b).reduce((sum, w) => sum + w, 0);
    return [BigInt(64 - above - width), (1n << BigInt(width)) - 1n] as const;
  }),
);

/**
 * Block keys of a fingerprint, `p{k}:{hex}.{hex}`: two fingerprints within INDEXED_DISTANCE share at least one.
 * Each key matches a stored item by chance with probability 2⁻²⁵, where the four 16-bit bands of the older
 * `b{i}:` keys matched 2⁻¹⁶ (6.9 chance candidates per lookup at 100k stored items).
 */
export function blockKeys(hex: string): string[] {
  const value = parseSimhash(hex);
  return BLOCK_KEYS.map((blocks, k) => `p${k}:${blocks.map(([shift, mask]) => ((value >> shift) & mask).toString(16)).join('.')}`);
}
