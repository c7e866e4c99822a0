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
