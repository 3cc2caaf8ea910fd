/** What the HTTP API needs, built by src/server.ts (and by tests that assemble their own app). */
import type { Config } from '../config';
import type { Mailer } from '../email/mailer';
import type { ActionUseModel } from '../persistence/action-links';
import type { CalendarFeedModel } from '../persistence/calendar-feeds';
import type { CredentialsRepository } from '../persistence/credentials';
import type { Directory, DirectoryModels } from '../persistence/directory';
import type { MagicLinkModel } from '../persistence/magic-links';
import type { NoticeOpenings } from '../persistence/notice-openings';
import type { PendingImports } from '../persistence/pending-imports';
import type { OutboxModel } from '../persistence/outbox';
import type { RateLimitCounters } from '../persistence/rate-limits';
import type { SessionModel } from '../persistence/sessions';
import type { SignInRequestModel } from '../persistence/sign-in-requests';
import type { TokenModel } from '../persistence/tokens';
import type { Commitments } from '../service/commitments';
import type { DashboardService } from '../service/dashboard';
import type { Dependencies } from '../service/dependencies';
import type { DirectoryEdits } from '../service/directory-edits';
import type { InitiativeService } from '../service/initiatives';
import type { Publication } from '../service/publication';
import type { ReadModel } from '../service/read-model';
import type { Reports } from '../service/reports';
import type { SignInQueue } from '../service/sign-in';
import type { Metrics } from './metrics';
import type { RateLimits } from './rate-limits';
import type { SessionSupport } from './session';

export type ApiConfig = Pick<
  Config,
  | 'PUBLIC_URL'
  | 'SESSION_TTL_MS'
  | 'SESSION_IDLE_MS'
  | 'OPERATOR_TOKEN'
  | 'MAGIC_LINK_TTL_MS'
  | 'API_TOKEN_MAX_TTL_DAYS'
  | 'API_TOKENS_PER_PERSON'
  | 'MAIL_FROM'
  | 'MAIL_REPLY_TO'
  | 'RATE_LIMIT_SIGNIN_PER_EMAIL'
  | 'RATE_LIMIT_SIGNIN_PER_IP'
  | 'RATE_LIMIT_ACTS_PER_MINUTE'
  | 'TRUST_PROXY_HOPS'
  | 'SECRETARIAT_TIME_ZONE'
>;

export interface AppDeps {
  config: ApiConfig;
  /** Verifies the signed links in emails (src/email/links.ts). */
  secret: string;
  service: InitiativeService;
  readModel: ReadModel;
  /** Who may see each initiative: the member states, or also the public (src/service/publication.ts). */
  publication: Publication;
  /** The progress report and the handover pack, and the reports the Secretariat kept (src/service/reports.ts). */
  reports: Reports;
  /** The commitment register and who follows which initiative (src/service/commitments.ts). */
  commitments: Commitments;
  /** Dependencies between initiatives (src/service/dependencies.ts). */
  dependencies: Dependencies;
  /** The Secretariat's figures per state and chair year (src/service/dashboard.ts). */
  dashboard: DashboardService;
  directory: Directory;
  directoryModels: DirectoryModels;
  directoryEdits: DirectoryEdits;
  /** API tokens, sessions, calendar feeds and sign-in links as one repository (src/persistence/credentials.ts). */
  credentials: CredentialsRepository;
  /** The credential cache's key (src/app/credential-cache.ts) and the store src/api/auth.ts reads; credentials.tokenStore. */
  tokens: TokenModel;
  sessions: SessionModel;
  magicLinks: MagicLinkModel;
  /** Sign-in requests waiting for their email (src/service/sign-in.ts). */
  signInRequests: SignInRequestModel;
  calendarFeeds: CalendarFeedModel;
  actionUses: ActionUseModel;
  /** Each state's first opening of a revision put to it: by its decision link or the initiative's page. */
  openings: NoticeOpenings;
  /** Summit files uploaded and previewed, waiting for their uploader to confirm the import. */
  pendingImports: PendingImports;
  /** The rate limits' counters, shared by every API process (src/api/rate-limits.ts). */
  rateLimits: RateLimitCounters;
  mailer: Pick<Mailer, 'sendMail'>;
  outbox?: OutboxModel;
  /** Readiness checks by name: each resolves when its dependency answers. */
  readiness: Record<string, () => Promise<unknown>>;
}

/** What route modules receive: the dependencies plus the app's session support, rate limits, metrics and sign-in queue. */
export interface RouteDeps extends AppDeps {
  sessionSupport: SessionSupport;
  limits: RateLimits;
  metrics: Metrics;
  /** Queues sign-in emails: POST /api/auth/magic-links and the web sign-in form answer before anything is looked up. */
  signIn: SignInQueue;
}
