/**
 * What every page knows about its reader: language (the switch's cookie, else the person's locale, else
 * the browser's), time zone (the person's, else their state's, else the Secretariat's), the signed-in
 * actor and CSRF token, the member states by code, and the flash message left by the last POST.
 */
import type { CookieOptions, Request, Response } from 'express';
import type { Actor } from '../domain/types';
import type { PersonDoc, StateDoc } from '../persistence/directory';
import { csrfTokenOf } from '../api/session';
import { timeZoneOf } from '../email/recipient';
import type { RouteDeps } from '../api/deps';
import { isLang, Lang, translator, Translate } from './i18n';

export const LANG_COOKIE = 'sfu_lang';
const FLASH_COOKIE = 'sfu_flash';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export interface WebContext {
  lang: Lang;
  t: Translate;
  actor?: Actor;
  person?: PersonDoc;
  /** IANA zone every time on the page is shown in. */
  zone: string;
  csrf?: string;
  /** This page's path and query, for the language switch and sign-in's return. */
  here: string;
  flash?: Flash;
  states: Map<string, StateDoc>;
  /** A state's name in the reader's language. */
  stateName(code: string | undefined): string;
}

const cookieOptions = (secure: boolean, maxAge?: number): CookieOptions => ({
  httpOnly: true,
  secure,
  sameSite: 'lax',
  path: '/',
  ...(maxAge ? { maxAge } : {}),
});

/** A local path to return to: "/..." but never "//host" or a backslash trick. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(value) && value.length <= 500 ? value : fallback;
}

/** The reader's language: their choice on this browser, else their directory locale, else the browser's. */
export function langOf(req: Request, person: PersonDoc | null | undefined): Lang {
  const chosen = (req.cookies as Record<string, unknown> | undefined)?.[LANG_COOKIE];
  if (isLang(chosen)) return chosen;
  if (person?.locale && isLang(person.locale)) return person.locale;
  return req.acceptsLanguages('en', 'ru') === 'ru' ? 'ru' : 'en';
}

/** Keeps a choice the reader made on this browser (a filter) for a year. */
export function rememberChoice(res: Response, name: string, value: string, secure: boolean): void {
  res.cookie(name, value, cookieOptions(secure, 365 * 86_400_000));
}

export function setLangCookie(res: Response, lang: Lang, secure: boolean): void {
  res.cookie(LANG_COOKIE, lang, { ...cookieOptions(secure, 365 * 86_400_000), httpOnly: false });
}

/** Leaves a message for the next page this browser opens (POST/redirect/GET). */
export function setFlash(res: Response, flash: Flash, secure: boolean): void {
  res.cookie(FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), cookieOptions(secure, 60_000));
}

function takeFlash(req: Request, res: Response, secure: boolean): Flash | undefined {
  const raw = (req.cookies as Record<string, unknown> | undefined)?.[FLASH_COOKIE];
  if (typeof raw !== 'string') return undefined;
  res.clearCookie(FLASH_COOKIE, cookieOptions(secure));
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Flash>;
    if ((v.kind === 'ok' || v.kind === 'error') && typeof v.text === 'string')
      return { kind: v.kind, text: v.text.slice(0, 2000) };
  } catch {
    // A mangled cookie is no message.
  }
  return undefined;
}

export async function contextOf(
  req: Request,
  res: Response,
  deps: RouteDeps,
  fallbackZone: string,
): Promise<WebContext> {
  const person = req.actor ? await deps.directory.person(req.actor.personId) : null;
  const states = new Map((await deps.directory.states()).map((s) => [s._id, s] as const));
  const lang = langOf(req, person);
  const zone = person
    ? await timeZoneOf({ state: async (code) => states.get(code) ?? null }, person, fallbackZone)
    : fallbackZone;
  return {
    lang,
    t: translator(lang),
    actor: req.actor,
    person: person ?? undefined,
    zone,
    csrf: csrfTokenOf(req),
    here: safeLocalPath(req.originalUrl),
    flash: req.method === 'GET' ? takeFlash(req, res, deps.sessionSupport.secure) : undefined,
    states,
    stateName: (code) => (code ? (states.get(code)?.name[lang] ?? code) : ''),
  };
}
