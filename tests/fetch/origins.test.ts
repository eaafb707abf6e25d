import { describe, expect, it } from 'vitest';
import { isBinaryContentType } from '../../src/fetch/content-type.js';
import { originPolicy } from '../../src/fetch/origins.js';

describe('originPolicy', () => {
  const policy = originPolicy(
    ['https://portal.example/tin-tuc', 'http://127.0.0.1:8080/feed'],
    ['cdn.example', 'media.example:8443', 'http://old.example'],
  );
  it.each([
    ['https://portal.example/a', true],
    ['https://portal.example:443/a', true],
    ['http://portal.example/a', false],
    ['https://portal.example:8443/a', false],
    ['https://www.portal.example/a', false],
    ['http://127.0.0.1:8080/x', true],
    ['http://127.0.0.1:8081/x', false],
    ['http://127.0.0.2:8080/x', false],
    ['https://cdn.example/x', true],
    ['http://cdn.example/x', true],
    ['https://cdn.example:444/x', false],
    ['https://media.example:8443/x', true],
    ['https://media.example/x', false],
    ['http://old.example/x', true],
    ['https://old.example/x', false],
  ])('%s → %s', (url, allowed) => {
    expect(policy.allows(new URL(url))).toBe(allowed);
  });
});

describe('isBinaryContentType', () => {
  it.each([
    ['text/html; charset=utf-8', false],
    ['application/xhtml+xml', false],
    ['application/rss+xml', false],
    ['text/plain', false],
    [null, false],
    ['image/jpeg', true],
    ['Application/PDF', true],
    ['application/octet-stream', true],
    ['application/zip', true],
    ['video/mp4', true],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', true],
  ])('%s → %s', (type, binary) => {
    expect(isBinaryContentType(type)).toBe(binary);
  });
});
