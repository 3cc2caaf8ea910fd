/**
 * Everything a person signs in or acts with, as one family: API tokens, browser sessions, calendar feeds and
 * sign-in links (emailed decision links check the person's credentialsRevokedAt themselves). Each store keeps
 * its own file; this repository is what callers outside src/persistence use for them.
 */
import type { Connection } from 'mongoose';
import { createDirectory, type Directory, type DirectoryModels } from './directory';
import { calendarFeedModel, revokeFeeds, type CalendarFeedModel } from './calendar-feeds';
import {
  discardUnusedLinksOf,
  issueMagicLink,
  magicLinkModel,
  redeemMagicLink,
  type MagicLinkModel,
} from './magic-links';
import { closeSession, findSession, openSession, sessionModel, type SessionModel } from './sessions';
import {
  createToken,
  issueToken,
  listTokens,
  revokeToken,
  revokeTokensOf,
  tokenModel,
  type TokenModel,
} from './tokens';

export interface CredentialModels {
  tokens: TokenModel;
  sessions: SessionModel;
  calendarFeeds: CalendarFeedModel;
  magicLinks: MagicLinkModel;
}

/**
 * The connection's credential models, reusing those already compiled on it: the API's auth cache is keyed
 * by the token model, so forgetting a revoked person's tokens must go through the same one.
 */
export function credentialModelsOf(conn: Connection): CredentialModels {
  const models = conn.models as Record<string, unknown>;
  return {
    tokens: (models.Token as TokenModel | undefined) ?? tokenModel(conn),
    sessions: (models.Session as SessionModel | undefined) ?? sessionModel(conn),
    calendarFeeds: (models.CalendarFeed as CalendarFeedModel | undefined) ?? calendarFeedModel(conn),
    magicLinks: (models.MagicLink as MagicLinkModel | undefined) ?? magicLinkModel(conn),
  };
}

/** How many of each credential a revocation ended. */
export interface RevokedCredentials {
  tokens: number;
  sessions: number;
  calendarFeeds: number;
  signInLinks: number;
}

export function createCredentialsRepository(models: CredentialModels) {
  return {
    /**
     * The token store as the credential cache knows it (src/app/credential-cache.ts keys its entries by it,
     * and src/api/auth.ts reads tokens through it): pass it there, and call nothing on it.
     */
    tokenStore: models.tokens,

    /** A person's API tokens, newest first (listTokens); those `credentialsRevokedAt` voids show revoked. */
    listTokens: (personId: string, credentialsRevokedAt?: Date) =>
      listTokens(models.tokens, personId, credentialsRevokedAt),
    /** Creates a token unless the person holds `maxLive` live ones (createToken). */
    createToken: (
      personId: string,
      label: string,
      opts: { expiresAt?: Date; maxLive: number; credentialsRevokedAt?: Date },
    ) => createToken(models.tokens, personId, label, opts),
    /** Stores a known token's hash (seeding); issuing it again changes nothing. */
    issueToken: (personId: string, label: string, token: string) => issueToken(models.tokens, personId, label, token),
    /** Revokes one of a person's tokens by its public id; null when they have no such token. */
    revokeToken: (personId: string, id: string) => revokeToken(models.tokens, personId, id),

    /** Sign-in links by email (src/persistence/magic-links.ts): issued, and redeemed once. */
    issueSignInLink: (personId: string, ttlMs: number) => issueMagicLink(models.magicLinks, personId, ttlMs),
    redeemSignInLink: (token: string, directory: Pick<Directory, 'person'>) =>
      redeemMagicLink(models.magicLinks, token, directory),

    /** Browser sessions (src/persistence/sessions.ts). */
    openSession: (personId: string, ttlMs: number) => openSession(models.sessions, personId, ttlMs),
    findSession: (id: string, idleMs: number) => findSession(models.sessions, id, idleMs),
    closeSession: (id: string) => closeSession(models.sessions, id),

    /**
     * Revokes or deletes every credential document of a person issued up to `at`: tokens revoked, sessions
     * deleted, the calendar feed revoked, unused sign-in links discarded. The person's credentialsRevokedAt
     * already voids them; this makes listings show it.
     */
    async revokeAllOf(personId: string, at: Date): Promise<RevokedCredentials> {
      const tokens = await revokeTokensOf(models.tokens, personId, at);
      const sessions = (await models.sessions.deleteMany({ personId, createdAt: { $lte: at } })).deletedCount;
      const calendarFeeds = await revokeFeeds(models.calendarFeeds, personId);
      const signInLinks = await discardUnusedLinksOf(models.magicLinks, personId);
      return { tokens, sessions, calendarFeeds, signInLinks };
    },
  };
}
export type CredentialsRepository = ReturnType<typeof createCredentialsRepository>;

/** The directory and the credentials of its people, on the directory's connection: what directory edits need. */
export function directoryRepositoriesOf(models: DirectoryModels) {
  return {
    directory: createDirectory(models),
    credentials: createCredentialsRepository(credentialModelsOf(models.people.db)),
  };
}
