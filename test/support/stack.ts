/** What integration tests need to reach the servers globalSetup started: the API, MongoDB, the mail sink. */
import * as fs from 'node:fs';

export interface TestStackInfo {
  dataDir: string;
  apiUrl: string;
  mongoUrl: string;
  mailUrl: string;
  temporalAddress: string;
  /** The sink's SMTP port (for an API process of a test's own). */
  smtpPort: number;
  /** The bearer secret of /metrics and of the readiness detail. */
  operatorToken: string;
  tokens: Record<string, string>;
}

export function testStack(): TestStackInfo {
  const file = process.env.SUMMIT_TEST_STACK;
  if (!file)
    throw new Error('SUMMIT_TEST_STACK is not set: run integration tests through jest (globalSetup starts the stack)');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TestStackInfo;
}

export interface ApiResponse<T = any> {
  status: number;
  contentType: string;
  body: T;
}

/** Calls the API as a seeded person. */
export function apiAs(personId: string | null) {
  const stack = testStack();
  const token = personId ? stack.tokens[personId] : undefined;
  if (personId && !token) throw new Error(`no seeded token for ${personId}`);
  async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.text();
    return { status: res.status, contentType, body: contentType.includes('json') && text ? JSON.parse(text) : text };
  }
  return {
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    put: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', path, body, headers),
  };
}

/** A unique slug per test run, so tests never collide on workflow ids. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export { eventually } from './poll';
