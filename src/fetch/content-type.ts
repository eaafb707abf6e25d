/** Media types that are never pages or feeds: fetched by mistake (a link to a PDF, an image), they are not parsed. */
const BINARY_TYPES: readonly RegExp[] = [
  /^(?:image|audio|video|font|model)\//,
  /^application\/(?:pdf|octet-stream|zip|gzip|x-gzip|x-tar|x-bzip2|x-xz|zstd|x-7z-compressed|x-rar-compressed|vnd\.rar)$/,
  /^application\/(?:msword|vnd\.ms-[\w.+-]+|vnd\.openxmlformats-[\w.+-]+|vnd\.oasis\.opendocument\.[\w.+-]+|rtf)$/,
  /^application\/(?:x-msdownload|x-msi|vnd\.android\.package-archive|java-archive|wasm|x-shockwave-flash)$/,
];

/** The bare media type of a Content-Type header, lower case: `text/html; charset=utf-8` → `text/html`. */
export function mediaType(contentType: string | null): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

export function isBinaryContentType(contentType: string | null): boolean {
  const type = mediaType(contentType);
  return type !== null && BINARY_TYPES.some((pattern) => pattern.test(type));
}
