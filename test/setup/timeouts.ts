/**
 * The time an integration or browser test has, unless its file asks for more. Above WORKER_WAIT_MS
 * (test/support/poll.ts): under a whole suite's load on two cores the worker and the mailer take
 * minutes to catch up, and a test that waits for them should fail naming what it waited for, not on
 * jest's timeout.
 */
jest.setTimeout(360_000);
