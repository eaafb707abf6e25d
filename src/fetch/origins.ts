/**
 * Where a source may be fetched from: the origins (scheme, host and port) of its own URLs, plus the hosts an operator
 * allowed. Anything else a page or a redirect points at is refused before a request is made.
 */
export interface OriginPolicy {
  allows(url: URL): boolean;
  /** `http://127.0.0.1:8080, https://cdn.example` for error messages. */
  describe(): string;
}

/**
 * `urls`: absolute URLs whose origins are allowed. `allowHosts`: an origin (`https://cdn.example:8443`), a host with
 * a port (`cdn.example:8443`, either scheme) or a host name (`cdn.example`, either scheme on its default port).
 */
export function originPolicy(urls: string[], allowHosts: readonly string[] = []): OriginPolicy {
  const origins = new Set(urls.map((url) => new URL(url).origin));
  const hosts = new Set<string>();
  for (const entry of allowHosts) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) origins.add(new URL(entry).origin);
    else hosts.add(new URL(`http://${entry}`).host);
  }
  return {
    allows: (url) => origins.has(url.origin) || hosts.has(url.host),
    describe: () => [...origins, ...hosts].join(', '),
  };
}
