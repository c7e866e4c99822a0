// The one way the app talks HTTP to the API: JSON in, JSON out, errors in the API's one shape.
import type { z } from "zod";
import { ErrorBody } from "../contracts/zod";

/** The server answered with an error status (the body is the API's error shape). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(body.error);
    this.name = "HttpError";
  }
  get code(): string {
    return this.body.code;
  }
  get details(): Record<string, unknown> {
    return this.body.details ?? {};
  }
}

/** No answer at all: offline, DNS, connection reset, or a response lost on the way back. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "NetworkError";
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  getToken: () => string | null;
  fetch?: typeof fetch;
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async request<S extends z.ZodType>(
    method: string,
    path: string,
    body: unknown,
    schema: S,
    headers: Record<string, string> = {},
  ): Promise<z.infer<S>> {
    const token = this.options.getToken();
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch (err) {
      throw new NetworkError(err);
    }
    const text = await response.text().catch((err: unknown) => {
      throw new NetworkError(err);
    });
    const data: unknown = text ? safeJson(text) : null;
    if (!response.ok) throw new HttpError(response.status, errorBody(response, data), retryAfter(response));
    return schema.parse(data);
  }

  /** GET a file with the session's token (a plain link cannot carry the Authorization header);
   * errors come back as HttpError/NetworkError exactly as for JSON requests. */
  async download(path: string, fallbackName: string): Promise<Download> {
    const token = this.options.getToken();
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(`${this.options.baseUrl}${path}`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        cache: "no-store",
      });
    } catch (err) {
      throw new NetworkError(err);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      throw new HttpError(response.status, errorBody(response, text ? safeJson(text) : null), retryAfter(response));
    }
    const blob = await response.blob().catch((err: unknown) => {
      throw new NetworkError(err);
    });
    return { blob, filename: filenameOf(response) ?? fallbackName };
  }
}

/** A file the server streamed (an export, a report as CSV/XLSX) and the name it suggested. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** Hand a downloaded file to the browser's save flow. */
export function saveDownload({ blob, filename }: Download): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function filenameOf(response: Response): string | null {
  const header = response.headers.get("Content-Disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function errorBody(response: Response, data: unknown): ErrorBody {
  const parsed = ErrorBody.safeParse(data);
  if (parsed.success) return parsed.data;
  // A proxy or an old server answered: keep the status, invent nothing else.
  return { error: response.statusText || `HTTP ${response.status}`, code: `http_${response.status}`, details: {} };
}

function retryAfter(response: Response): number | null {
  const raw = response.headers.get("Retry-After");
  const seconds = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) ? seconds : null;
}
