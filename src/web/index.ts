/**
 * The web interface for the Secretariat and the Special Representatives: server-rendered pages in
 * English and Russian over the API's own services, sessions and rules. `createApp` mounts
 * `webUploadRoutes` before the API's body-type guard (the summit file comes as multipart) and
 * `webRoutes` after the API's routes.
 */
export { webRoutes } from './routes';
export { webCommitmentRoutes } from './commitment-routes';
export { webDashboardRoutes } from './dashboard-routes';
export { webUploadRoutes } from './upload';
