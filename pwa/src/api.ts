/**
 * The one way the app talks to the backend.
 *
 * - Cookies carry the session (`credentials: "same-origin"`); unsafe methods echo the
 *   `selfservice_csrf` cookie in `X-CSRF-Token`.
 * - Every request says which language the answer's texts should be in (`Accept-Language`).
 * - Errors are RFC 9457 problem details and become an `ApiError` the screens can show.
 * - A 401 hands over to the session (back to the login screen); `session.ts` also gets a
 *   chance to renew the session before each request.
 */
import { locale } from './i18n';
import { messages } from './i18n';

export type Role = 'employee' | 'manager' | 'payroll' | 'admin';

export interface User {
  id: string;
  email: string;
  display_name: string;
  roles: Role[];
  organisation: { id: string; name: string };
  employee_id: string | null;
  manager_name: string | null;
  locale: string;
  demo: boolean;
  /** Has an attest inbox: a manager, payroll, or a substitute under an active delegation. */
  attests: boolean;
}

export interface SessionResponse {
  token: string;
  expires_at: string;
  user: User;
}

export interface YearPolicy {
  year: number;
  mileage_rate_per_mil: string | null;
  per_diem_full_day: string | null;
  wellness_allowance: string | null;
}

export interface Organisation {
  id: string;
  name: string;
  org_number: string | null;
  cutoff_day: number;
  pay_day: number;
  agreement_profile: string;
  variable_pay_in_arrears: boolean;
  policies: YearPolicy[];
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** RFC 9457 problem details as this API sends them. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  request_id?: string;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** The message for one input field, for showing next to it. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((error) => error.field === field)?.message;
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** A JSON body; `FormData` (uploads) and a `Blob` (a file's text, with its type) are sent as they are. */
  body?: unknown;
  /** Do not hand a 401 to the session (sign-in itself, the start-up check). */
  allowUnauthorized?: boolean;
  /** Skip the renew-before-expiry check (the renewal request itself). */
  skipRenewal?: boolean;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  /**
   * Report how much of the body has been sent (0..1). `fetch` cannot do that, so such a
   * request goes through XMLHttpRequest; everything else (CSRF, problems, 401) is the same.
   */
  onUploadProgress?: (fraction: number) => void;
}

export interface ResponseInfo {
  /** The server's clock when it answered (the `Date` header), to correct for a wrong phone clock. */
  serverDate: number | null;
}

interface Hooks {
  beforeRequest: () => Promise<void>;
  onUnauthorized: (problem: Problem) => void;
  /** A GET got no answer at all: the last answer kept on the device, if any (offline/cache.ts). */
  readOffline: (path: string) => Promise<{ data: unknown } | null>;
  /** A GET's fresh JSON answer, for keeping on the device. */
  saveOffline: (path: string, data: unknown) => void;
}

const hooks: Hooks = {
  beforeRequest: async () => {},
  onUnauthorized: () => {},
  readOffline: async () => null,
  saveOffline: () => {},
};

/** Wired once by `session.ts` (keeps this module free of session state). */
export function configureApi(next: Partial<Hooks>): void {
  Object.assign(hooks, next);
}

export const CSRF_COOKIE = 'selfservice_csrf';
const SAFE_METHODS = new Set<Method>(['GET']);

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** A request through XMLHttpRequest (for upload progress), answered as a fetch `Response`. */
function sendWithProgress(
  method: Method,
  path: string,
  headers: Headers,
  body: BodyInit | undefined,
  onProgress: (fraction: number) => void,
  signal: AbortSignal | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.withCredentials = true;
    xhr.responseType = 'blob';
    headers.forEach((value, key) => xhr.setRequestHeader(key, value));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const responseHeaders = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(':');
        if (at > 0) responseHeaders.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      const empty = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
      resolve(new Response(empty ? null : (xhr.response as Blob), { status: xhr.status, headers: responseHeaders }));
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.ontimeout = () => reject(new TypeError('network timeout'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send((body ?? null) as XMLHttpRequestBodyInit | null);
  });
}

async function send(method: Method, path: string, options: RequestOptions): Promise<Response> {
  const headers = new Headers({ Accept: 'application/json, application/problem+json', 'Accept-Language': locale.value });
  for (const [key, value] of Object.entries(options.headers ?? {})) headers.set(key, value);
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || options.body instanceof Blob) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.body);
  }
  if (!SAFE_METHODS.has(method)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers.set('X-CSRF-Token', csrf);
  }
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) init.body = body;
  if (options.signal) init.signal = options.signal;
  try {
    if (options.onUploadProgress) {
      return await sendWithProgress(method, path, headers, body, options.onUploadProgress, options.signal);
    }
    return await fetch(path, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    const t = messages.value;
    throw new ApiError({ title: t.errors.network, detail: t.errors.networkDetail, status: 0, code: 'network_error' });
  }
}

async function toProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const data = (await response.json()) as Partial<Problem>;
      if (typeof data.title === 'string') {
        return { ...data, title: data.title, status: data.status ?? response.status, code: data.code ?? 'error' };
      }
    } catch {
      // not JSON after all: fall through to the generic problem
    }
  }
  const t = messages.value;
  return {
    title: t.errors.unexpected,
    detail: t.errors.unexpectedDetail,
    status: response.status,
    code: `http_${response.status}`,
    request_id: response.headers.get('x-request-id') ?? undefined,
  } as Problem;
}

// A page's effects start several requests at once, and each `fetch` call costs the main thread a
// few milliseconds (several times that on a cheap phone). Each request is sent from a task of its
// own (a message to ourselves: no timer clamping), so starting them is never one long task.
const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
const waiting: Array<() => void> = [];
if (channel) channel.port1.onmessage = () => waiting.shift()?.();

function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (!channel) return resolve();
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** Send a request and return the parsed JSON body with facts about the response. */
export async function requestWithInfo<T>(
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<{ data: T; info: ResponseInfo }> {
  if (!options.skipRenewal) await hooks.beforeRequest();
  await nextTask();
  let response: Response;
  try {
    response = await send(method, path, options);
  } catch (error) {
    // Offline: a screen opened before shows what it showed last time (and says so).
    const kept = method === 'GET' && error instanceof ApiError ? await hooks.readOffline(path) : null;
    if (kept) return { data: kept.data as T, info: { serverDate: null } };
    throw error;
  }
  if (response.status === 403 && !SAFE_METHODS.has(method)) {
    // The CSRF cookie is a browser-session cookie: after a browser restart the session
    // can outlive it. A GET hands out a new one; then the request is tried once more.
    const problem = await toProblem(response.clone());
    if (problem.code === 'csrf_failed') {
      await send('GET', '/api/me', {});
      response = await send(method, path, options);
    }
  }
  if (!response.ok) {
    const problem = await toProblem(response);
    if (response.status === 401 && !options.allowUnauthorized) hooks.onUnauthorized(problem);
    throw new ApiError(problem);
  }
  const date = response.headers.get('date');
  const info: ResponseInfo = { serverDate: date ? Date.parse(date) : null };
  if (response.status === 204) return { data: undefined as T, info };
  const type = response.headers.get('content-type') ?? '';
  const data = (type.includes('json') ? await response.json() : await response.text()) as T;
  if (method === 'GET' && type.includes('json')) hooks.saveOffline(path, data);
  return { data, info };
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestWithInfo<T>(method, path, options)).data;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/**
 * A new random UUID made on this device: the id of something the app creates, so that a
 * request sent again (lost connection, a second tap) creates it once. `crypto.randomUUID`
 * needs a secure context; plain http on a LAN address gets the same from getRandomValues.
 */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
