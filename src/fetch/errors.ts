import { FetchError, type ErrorCode } from '../core/errors.js';

export type FetchCode = Extract<ErrorCode, `FETCH_${string}`>;

interface ErrorRule {
  /** Matched against the `code` of the error or of any error in its cause chain. */
  match: RegExp;
  code: FetchCode;
  retryable: boolean;
}

/** The one place where undici / Node / zlib error codes become ours. First match wins. */
export const ERROR_TABLE: readonly ErrorRule[] = [
  {
    match: /^(UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|UND_ERR_CONNECT_TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT)$/,
    code: 'FETCH_TIMEOUT',
    retryable: true,
  },
  { match: /^EAI_AGAIN$/, code: 'FETCH_DNS', retryable: true },
  { match: /^(ENOTFOUND|EAI_NONAME|EAI_NODATA|EAI_FAIL)$/, code: 'FETCH_DNS', retryable: false },
  {
    match:
      /^(CERT_\w+|ERR_TLS_\w+|ERR_SSL_\w+|UNABLE_TO_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL_\w+|EPROTO|UND_ERR_PRX_TLS)$/,
    code: 'FETCH_TLS',
    retryable: false,
  },
  { match: /^(UND_ERR_RES_EXCEEDED_MAX_SIZE|ERR_BUFFER_TOO_LARGE|UND_ERR_HEADERS_OVERFLOW)$/, code: 'FETCH_TOO_LARGE', retryable: false },
  {
    match:
      /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|EHOSTUNREACH|ENETUNREACH|ENETDOWN|EHOSTDOWN|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_DESTROYED|UND_ERR_RES_CONTENT_LENGTH_MISMATCH|HPE_\w+|ERR_STREAM_PREMATURE_CLOSE)$/,
    code: 'FETCH_NETWORK',
    retryable: true,
  },
  { match: /^(Z_DATA_ERROR|Z_BUF_ERROR|ERR_UNSUPPORTED_ENCODING)$/, code: 'FETCH_NETWORK', retryable: false },
];

const FALLBACK: ErrorRule = { match: /^$/, code: 'FETCH_NETWORK', retryable: true };

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Finds the rule for a low-level error; unknown errors count as (retryable) network failures. */
export function classifyError(err: unknown): { code: FetchCode; retryable: boolean } {
  for (const code of codesOf(err)) {
    const rule = ERROR_TABLE.find((r) => r.match.test(code));
    if (rule) return { code: rule.code, retryable: rule.retryable };
  }
  return { code: FALLBACK.code, retryable: FALLBACK.retryable };
}

/** Carries the retry decision alongside the error the caller will eventually see. */
export class AttemptFailure extends Error {
  constructor(
    readonly error: FetchError,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(error.message, { cause: error });
  }
}

export function toFetchError(err: unknown, url: string, status?: number): FetchError {
  if (err instanceof FetchError) return err;
  const { code } = classifyError(err);
  const message = err instanceof Error ? err.message : String(err);
  return new FetchError(code, `${code.toLowerCase().replace('fetch_', '')} error fetching ${url}: ${message}`, {
    url,
    cause: err,
    ...(status === undefined ? {} : { status }),
  });
}
