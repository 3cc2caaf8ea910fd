/** HTTP clients for the API tests: by seeded API token, by a session signed in through a real magic-link email, or anonymous. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForEmails } from './mail';
import { eventually, testStack, uniqueId } from './stack';

export interface Reply<T = any> {
  status: number;
  contentType: string;
  headers: Headers;
  body: T;
  text: string;
  /** The body as received: a PDF or DOCX download. */
  bytes: Buffer;
}

export interface Client {
  readonly label: string;
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  get<T = any>(path: string, headers?: Record<string, string>): Promise<Reply<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  put<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  del<T = any>(path: string, headers?: Record<string, string>): Promise<Reply<T>>;
}

export function client(label: string, auth: Record<string, string> = {}): Client {
  const base = testStack().apiUrl;
  async function request<T>(
    method: string,
    p: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const res = await fetch(`${base}${p}`, {
      method,
      redirect: 'manual',
      headers: {
        ...auth,
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const contentType = res.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    return {
      status: res.status,
      contentType,
      headers: res.headers,
      text,
      bytes,
      body: contentType.includes('json') && text ? JSON.parse(text) : (text as T),
    };
  }
  return {
    label,
    request,
    get: (p, h) => request('GET', p, undefined, h),
    post: (p, b, h) => request('POST', p, b, h),
    put: (p, b, h) => request('PUT', p, b, h),
    del: (p, h) => request('DELETE', p, undefined, h),
  };
}

/** Waits for what the worker writes (read model, audit trail, outbox), as long as it can take (WORKER_WAIT_MS). */
export function settled<T>(what: string, check: () => Promise<T | undefined | null | false>): Promise<T> {
  return eventually(what, check);
}

/** A seeded person's API token client. */
export function asPerson(personId: string): Client {
  const token = testStack().tokens[personId];
  if (!token) throw new Error(`no seeded token for ${personId}`);
  return client(personId, { authorization: `Bearer ${token}` });
}

export const anonymous = () => client('anonymous');

/** The sign-in token in the newest sign-in email to an address. */
export async function signInTokenFor(email: string, after = 0): Promise<string> {
  const mails = await waitForEmails(
    `a sign-in email to ${email}`,
    (m) => m.subject === 'Your sign-in link for Summit Follow-up' && m.to.some((t) => t.address === email),
    after + 1,
  );
  const last = mails[mails.length - 1];
  const match = /\/auth\/sign-in\?token=(sfm_[A-Za-z0-9_-]+)/.exec(last.text ?? '');
  if (!match) throw new Error(`no sign-in link in: ${last.text}`);
  return match[1];
}

/** Signs a person in as a browser would through the JSON endpoint: asks for the email, reads it in MailDev, redeems the link. */
export async function signIn(email: string): Promise<Client & { csrfToken: string; cookie: string }> {
  const asked = await anonymous().post('/api/auth/magic-links', { email });
  if (asked.status !== 202) throw new Error(`magic link request answered ${asked.status}: ${asked.text}`);
  const token = await signInTokenFor(email);
  const redeemed = await anonymous().post('/api/auth/session', { token });
  if (redeemed.status !== 201) throw new Error(`redeeming answered ${redeemed.status}: ${redeemed.text}`);
  const cookie = sessionCookieOf(redeemed.headers);
  const csrfToken = redeemed.body.session.csrfToken as string;
  return { ...client(`${email} (session)`, { cookie, 'x-csrf-token': csrfToken }), csrfToken, cookie };
}

/** "name=value" of the session cookie a response sets. */
export function sessionCookieOf(headers: Headers): string {
  const set = headers.getSetCookie().find((c) => c.startsWith('sfu_session='));
  if (!set) throw new Error(`no session cookie in ${JSON.stringify(headers.getSetCookie())}`);
  return set.split(';')[0];
}

/** Adds a person to the directory (as the Secretariat) and returns their id and email. */
export async function addPerson(
  fields: Record<string, unknown> & { roles: string[] },
  prefix = 'p',
): Promise<{ id: string; email: string }> {
  const id = uniqueId(prefix);
  const email = `${id}@example.org`;
  const res = await asPerson('secretariat').put(`/api/directory/people/${id}`, {
    name: `Test person ${id}`,
    email,
    locale: 'en',
    ...fields,
  });
  if (res.status !== 201) throw new Error(`adding ${id} answered ${res.status}: ${res.text}`);
  return { id, email };
}

/**
 * A deputy of `state`'s representative, within a delegation from yesterday to tomorrow: a person of the calling
 * test's own, so no other test waits for its sign-in link. `endDelegation` makes it an official again, so it
 * no longer speaks for the state (nor receives its emails) in other tests' rounds.
 */
export async function addDeputy(state: string, prefix: string, locale: 'en' | 'ru' = 'en') {
  const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  const deputy = await addPerson(
    {
      roles: ['deputy'],
      state,
      deputyOf: `rep-${state.toLowerCase()}`,
      delegation: { from: day(-1), to: day(1) },
      locale,
    },
    prefix,
  );
  const endDelegation = async () => {
    const res = await asPerson('secretariat').put(`/api/directory/people/${deputy.id}`, {
      name: 'Former deputy',
      email: deputy.email,
      locale,
      roles: ['official'],
      state,
    });
    if (res.status !== 200) throw new Error(`ending ${deputy.id}'s delegation answered ${res.status}: ${res.text}`);
  };
  return { ...deputy, endDelegation };
}

/** The data folder's local secret (what the API signs action links with). */
export function localSecret(): string {
  return fs.readFileSync(path.join(testStack().dataDir, 'secret'), 'utf8').trim();
}

/** An initiative started by the Secretariat, optionally taken on to a given stage. */
export async function startedInitiative(
  prefix: string,
  opts: {
    to?: 'assigned' | 'signoff';
    lead?: string;
    official?: string;
    draftDueDays?: number;
    policy?: { rule: 'quorum'; quorum: number };
    summit?: string;
    /** Adopted by silence at the sign-off's expiry unless a state objects or proposes an amendment. */
    silenceProcedure?: boolean;
    /** The draft's texts in English and Russian (else a title and a link only). */
    texts?: { text: string; textRu: string };
    /** Titled in Russian too ("Тестовая инициатива <id>"). */
    titledRu?: boolean;
  } = {},
) {
  const sec = asPerson('secretariat');
  const id = uniqueId(prefix);
  const started = await sec.post('/api/initiatives', {
    id,
    title: `Test initiative ${id}`,
    ...(opts.titledRu ? { titleRu: `Тестовая инициатива ${id}` } : {}),
    proposingState: 'KZ',
    summit: opts.summit ?? 'tashkent-2025',
    category: 'transport',
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(opts.silenceProcedure ? { silenceProcedure: true } : {}),
  });
  if (started.status !== 201) throw new Error(`start answered ${started.status}: ${started.text}`);
  if (opts.to === 'assigned' || opts.to === 'signoff') {
    const due = new Date(Date.now() + (opts.draftDueDays ?? 10) * 86_400_000).toISOString();
    const a = await sec.post(`/api/initiatives/${id}/assignment`, {
      leadState: opts.lead ?? 'KZ',
      officialId: opts.official ?? 'official-kz',
      draftDueAt: due,
    });
    if (a.status !== 200) throw new Error(`assignment answered ${a.status}: ${a.text}`);
  }
  if (opts.to === 'signoff') {
    const d = await asPerson(opts.official ?? 'official-kz').post(
      `/api/initiatives/${id}/drafts`,
      opts.texts ? { title: 'Charter', ...opts.texts } : { title: 'Draft one', link: 'https://example.org/draft-1' },
    );
    if (d.status !== 200) throw new Error(`draft answered ${d.status}: ${d.text}`);
  }
  return id;
}

/** An initiative every member state has approved, adopted as the live view shows it. */
export async function adoptedInitiative(prefix: string): Promise<string> {
  const sec = asPerson('secretariat');
  const id = await startedInitiative(prefix, { to: 'signoff' });
  const view = (await sec.get(`/api/initiatives/${id}`)).body;
  for (const state of view.round.members as string[]) {
    const who = state === 'KZ' ? 'deputy-kz' : `rep-${state.toLowerCase()}`;
    const res = await asPerson(who).post(`/api/initiatives/${id}/decisions`, {
      state,
      decision: 'approve',
      revision: view.revision,
    });
    if (res.status !== 200) throw new Error(`${state}'s approval answered ${res.status}: ${res.text}`);
  }
  await eventually(`${id} adopted`, async () => (await sec.get(`/api/initiatives/${id}`)).body.stage === 'adopted');
  return id;
}
