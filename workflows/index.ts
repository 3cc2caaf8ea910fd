export { initiativeWorkflow } from './initiative';
export { digestWorkflow } from './digest';
export { progressNoticeWorkflow } from './progress-notice';
