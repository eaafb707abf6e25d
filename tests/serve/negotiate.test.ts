import { describe, expect, it } from 'vitest';
import { chooseEncoding, etagMatches, isNotModified } from '../../src/serve/negotiate.js';

describe('chooseEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP, BR', 'br'],
    ['br;q=0.9, gzip;q=1.0', 'gzip'],
    ['gzip;q=0.5, br;q=0.5', 'br'],
    ['*;q=0.3, gzip;q=0.2', 'br'],
    ['*;q=0', 'identity'],
    ['identity;q=1, gzip;q=0.5', 'identity'],
    ['compress, deflate', 'identity'],
    ['br; q = 0.4 , gzip ; q=0.3', 'br'],
  ])('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('etagMatches (weak comparison)', () => {
  it.each([
    ['"abc"', '"abc"', true],
    ['W/"abc"', '"abc"', true],
    ['"x", "abc"', '"abc"', true],
    ['"x","y"', '"abc"', false],
    ['*', '"abc"', true],
    ['abc', '"abc"', false],
    ['"ab"', '"abc"', false],
  ])('If-None-Match %s vs %s → %s', (header, etag, expected) => {
    expect(etagMatches(header, etag)).toBe(expected);
  });
});

describe('isNotModified', () => {
  const lm = new Date('2024-01-19T12:48:00.000Z');
  it.each([
    [{ 'if-modified-since': 'Fri, 19 Jan 2024 12:48:00 GMT' }, true],
    [{ 'if-modified-since': 'Fri, 19 Jan 2024 12:47:59 GMT' }, false],
    [{ 'if-modified-since': 'not a date' }, false],
    [{ 'if-none-match': '"nope"', 'if-modified-since': 'Fri, 19 Jan 2024 12:48:00 GMT' }, false],
    [{ 'if-none-match': '"e"' }, true],
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(isNotModified(headers, '"e"', lm)).toBe(expected);
  });
});
