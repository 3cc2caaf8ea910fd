export { initiativeWorkflow } from './initiative';
export { digestWorkflow } from './digest';
