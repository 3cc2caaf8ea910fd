/** Writes docs/reliability.md (or, when only some files ran, a partial report beside the results). */
import { writeReport } from './report';

export default function globalTeardown(): void {
  const file = writeReport();
  if (file) process.stderr.write(`\nfault-injection report: ${file}\n`);
}
