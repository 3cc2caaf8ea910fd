export { initiativeWorkflow } from './initiative';
