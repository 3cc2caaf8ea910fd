/** The API process's composition root: connections, services and the express app. */
import type { Server } from 'node:http';
import { createApp } from './api/app';
import { appSecret } from './secret';
import type { Config } from './config';
import { createMailer } from './email/mailer';
import { actionUseModel } from './persistence/action-links';
import { calendarFeedModel } from './persistence/calendar-feeds';
import { connectMongo } from './persistence/connection';
import { createCredentialsRepository, directoryRepositoriesOf } from './persistence/credentials';
import { createDirectory, directoryModels } from './persistence/directory';
import { dayOf } from './domain/delegation';
import { eventModel } from './persistence/events';
import { createInitiativeRepository, initiativeModel } from './persistence/initiatives';
import { magicLinkModel } from './persistence/magic-links';
import { createNoticeOpenings, noticeOpeningModel } from './persistence/notice-openings';
import { createPendingImports, pendingImportModel } from './persistence/pending-imports';
import { outboxModel } from './persistence/outbox';
import { createPublicationRepository, publicationModel } from './persistence/publications';
import { createPublication } from './service/publication';
import { createReportSnapshots, reportSnapshotModel } from './persistence/report-snapshots';
import { createReports } from './service/reports';
import { createRateLimitCounters, rateLimitModel } from './persistence/rate-limits';
import { sessionModel } from './persistence/sessions';
import { signInRequestModel } from './persistence/sign-in-requests';
import { tokenModel } from './persistence/tokens';
import { createDirectoryEdits } from './service/directory-edits';
import { createInitiativeService } from './service/initiatives';
import { createReadModel } from './service/read-model';
import { connectTemporal } from './temporal/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { progressNoticeWorkflow } from '../workflows';
import { progressNoticeWorkflowId } from '../workflows/progress-notice';
import { commitmentModels, createCommitmentRepository } from './persistence/commitments';
import { createCommitments } from './service/commitments';
import type { InitiativeLookup } from './service/read-model';
import { createDependencyRepository, dependencyModel } from './persistence/dependencies';
import { createDependencies } from './service/dependencies';
import { createDashboard } from './service/dashboard';
import { logger } from './logger';

/** `failFast`: the API process answers 503 within seconds when Temporal is down (the seeder keeps the SDK's patience). */
export async function createServices(config: Config, options: { failFast?: boolean } = {}) {
  const mongo = await connectMongo(config.MONGODB_URL);
  const client = await connectTemporal(config, options);
  const models = directoryModels(mongo);
  const directory = createDirectory(models);
  const initiatives = initiativeModel(mongo);
  const events = eventModel(mongo);
  const tokens = tokenModel(mongo);
  const sessions = sessionModel(mongo);
  const magicLinks = magicLinkModel(mongo);
  const signInRequests = signInRequestModel(mongo);
  const calendarFeeds = calendarFeedModel(mongo);
  const actionUses = actionUseModel(mongo);
  const openings = noticeOpeningModel(mongo);
  const pendingImports = pendingImportModel(mongo);
  const rateLimits = rateLimitModel(mongo);
  const publications = publicationModel(mongo);
  const reportSnapshots = reportSnapshotModel(mongo);
  const commitmentStore = commitmentModels(mongo);
  const dependencyStore = dependencyModel(mongo);
  await Promise.all([
    initiatives.init(),
    events.init(),
    tokens.init(),
    models.people.init(),
    sessions.init(),
    magicLinks.init(),
    calendarFeeds.init(),
    actionUses.init(),
    openings.init(),
    rateLimits.init(),
    publications.init(),
    reportSnapshots.init(),
    commitmentStore.commitments.init(),
    commitmentStore.follows.init(),
    dependencyStore.init(),
  ]);
  const initiativeRepository = createInitiativeRepository({ initiatives, events });
  const readModel = createReadModel(
    initiativeRepository,
    // The day in the Secretariat's zone, as the escalations' recipients are chosen (activities/record.ts).
    async () => (await directory.chairOn(dayOf(new Date(), config.SECRETARIAT_TIME_ZONE)))?.chairState,
  );
  const service = createInitiativeService({
    client,
    config,
    secret: appSecret(config),
    directory,
    initiatives: initiativeRepository,
  });
  /**
   * An initiative as recorded, else as its workflow answers (one started or changed a moment ago, before the
   * worker recorded it): `current` says whether the recorded view is recent enough for the caller. The read
   * model first, because a query of a closed workflow replays its history on a busy worker.
   */
  const initiativeView: InitiativeLookup = async (id, current) => {
    const stored = await readModel.view(id);
    if (stored && (!current || current(stored))) return stored;
    return (await service.get(id)) ?? stored;
  };
  const commitmentRepository = createCommitmentRepository(commitmentStore);
  const dependencies = createDependencies({
    dependencies: createDependencyRepository(dependencyStore),
    readModel,
    view: initiativeView,
  });
  return {
    mongo,
    client,
    dependencies,
    dashboard: createDashboard({
      readModel,
      directory,
      commitments: commitmentRepository,
      dependencies,
      timeZone: config.SECRETARIAT_TIME_ZONE,
    }),
    models,
    directory,
    tokens,
    sessions,
    magicLinks,
    signInRequests,
    calendarFeeds,
    actionUses,
    openings: createNoticeOpenings(openings),
    pendingImports: createPendingImports(pendingImports),
    rateLimits: createRateLimitCounters(rateLimits),
    credentials: createCredentialsRepository({ tokens, sessions, calendarFeeds, magicLinks }),
    outbox: outboxModel(mongo),
    service,
    directoryEdits: createDirectoryEdits(directoryRepositoriesOf(models)),
    readModel,
    publication: createPublication({
      publications: createPublicationRepository(publications),
      readModel,
      live: initiativeView,
    }),
    reports: createReports({
      readModel,
      directory,
      snapshots: createReportSnapshots(reportSnapshots),
      commitments: commitmentRepository,
      timeZone: config.SECRETARIAT_TIME_ZONE,
    }),
    commitments: createCommitments({
      commitments: commitmentRepository,
      readModel,
      view: initiativeView,
      directory,
      timeZone: config.SECRETARIAT_TIME_ZONE,
      async announce(commitmentId, rev) {
        try {
          await client.workflow.start(progressNoticeWorkflow, {
            workflowId: progressNoticeWorkflowId({ commitmentId, rev }),
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            args: [{ commitmentId, rev }],
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      },
    }),
    async close() {
      await client.connection.close();
      await mongo.close();
    },
  };
}
export type Services = Awaited<ReturnType<typeof createServices>>;

export async function startApiServer(config: Config, services: Services): Promise<Server> {
  const mailer = createMailer(config);
  const app = createApp({
    config,
    secret: appSecret(config),
    service: services.service,
    readModel: services.readModel,
    publication: services.publication,
    reports: services.reports,
    commitments: services.commitments,
    dependencies: services.dependencies,
    dashboard: services.dashboard,
    directory: services.directory,
    directoryModels: services.models,
    directoryEdits: services.directoryEdits,
    credentials: services.credentials,
    tokens: services.tokens,
    sessions: services.sessions,
    magicLinks: services.magicLinks,
    signInRequests: services.signInRequests,
    calendarFeeds: services.calendarFeeds,
    actionUses: services.actionUses,
    openings: services.openings,
    pendingImports: services.pendingImports,
    rateLimits: services.rateLimits,
    mailer,
    outbox: services.outbox,
    readiness: {
      mongodb: () => services.mongo.db!.admin().ping(),
      temporal: () => services.client.workflowService.getSystemInfo({}),
      smtp: () => mailer.verify(),
    },
  });
  // Follow-up emails a Temporal outage kept from starting are started now, in the background.
  services.commitments
    .announceOwed()
    .catch((err) =>
      logger.warn({ err: (err as Error).message }, 'commitments: owed follow-up emails wait for the next start'),
    );
  return new Promise((resolve, reject) => {
    const server = app.listen(config.API_PORT, config.API_HOST, () => resolve(server));
    // The sign-in queue's loop ends with the server, before the caller closes MongoDB.
    server.once('close', () => void app.stopBackgroundWork());
    server.once('error', reject);
  });
}
