/** Clears the figures of an earlier run, so the report is made of this run's sections only. */
import { startRun } from './report';

export default function globalSetup(): void {
  startRun();
}
