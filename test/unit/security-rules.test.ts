/** The pure rules behind issue 12's session and log controls: redaction of every secret-bearing path, and the idle timeout. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { redactUrl } from '../../src/logger';
import { lastSeenWriteEvery, sessionExpired } from '../../src/persistence/sessions';

const ROOT = path.resolve(__dirname, '..', '..');

describe('redactUrl', () => {
  it.each([
    ['/act/abc.def', '/act/[redacted]'],
    ['/ACT/abc.def', '/ACT/[redacted]'],
    ['/%61ct/abc', '/%61ct/[redacted]'],
    ['/unsubscribe/abc', '/unsubscribe/[redacted]'],
    ['/UnSubscribe/abc?x=1', '/UnSubscribe/[redacted]?x=1'],
    ['/calendar/sfc_abcdef.ics', '/calendar/[redacted]'],
    ['/Calendar/whatever.ics', '/Calendar/[redacted]'],
    ['/auth/sign-in?token=sfm_secret&x=1', '/auth/sign-in?token=[redacted]&x=1'],
    ['/auth/sign-in?TOKEN=secret', '/auth/sign-in?TOKEN=[redacted]'],
    ['/sign-in/link?Token=secret', '/sign-in/link?Token=[redacted]'],
    ['/api/initiatives?stage=signoff&token=s', '/api/initiatives?stage=signoff&token=[redacted]'],
    ['/anything/SFU_leakedtoken123', '/anything/[redacted]'],
    ['/api/initiatives?stage=signoff', '/api/initiatives?stage=signoff'],
    ['/api/calendar-feed', '/api/calendar-feed'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('every log line', () => {
  it('redacts the url and path fields, whoever logs them (the error handler logs the raw path)', () => {
    const script = `
      const { logger } = require('./src/logger');
      logger.warn({ path: '/ACT/s3cr3t-act', outage: 'MongoDB' }, 'dependency unreachable');
      logger.error({ path: '/Unsubscribe/s3cr3t-unsub?token=s3cr3t-q' }, 'unexpected error');
      logger.info({ url: '/calendar/s3cr3t-feed.ics' }, 'request');
      logger.flush();
    `;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    expect(out.status).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path?: string; url?: string });
    expect(lines.map((l) => l.path ?? l.url)).toEqual([
      '/ACT/[redacted]',
      '/Unsubscribe/[redacted]?token=[redacted]',
      '/calendar/[redacted]',
    ]);
    expect(out.stdout).not.toContain('s3cr3t');
  });
});

describe('session idle timeout', () => {
  const idle = 30 * 60_000;
  const now = Date.parse('2026-12-01T10:00:00Z');
  const at = (msAgo: number) => new Date(now - msAgo);
  const far = new Date(now + 8 * 3_600_000);

  it('closes a session unused for the idle time, or past its absolute expiry', () => {
    expect(sessionExpired({ expiresAt: far, lastSeenAt: at(29 * 60_000) }, idle, now)).toBe(false);
    expect(sessionExpired({ expiresAt: far, lastSeenAt: at(30 * 60_000) }, idle, now)).toBe(true);
    expect(sessionExpired({ expiresAt: at(1), lastSeenAt: at(0) }, idle, now)).toBe(true);
  });

  it('writes the last activity at most once a minute, more often only for an idle time under four minutes', () => {
    expect(lastSeenWriteEvery(idle)).toBe(60_000);
    expect(lastSeenWriteEvery(4_000)).toBe(1_000);
  });
});
