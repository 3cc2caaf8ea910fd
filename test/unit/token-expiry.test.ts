/** When a new API token expires, with and without the deployment's maximum (API_TOKEN_MAX_TTL_DAYS). */
import { tokenExpiry, tokenUnexpired } from '../../src/persistence/tokens';

const now = Date.parse('2026-12-01T10:00:00Z');
const day = 86_400_000;

describe('tokenExpiry', () => {
  it('is never without a request or a maximum', () => {
    expect(tokenExpiry(undefined, undefined, now)).toEqual({});
  });
  it('follows the request when there is no maximum', () => {
    expect(tokenExpiry(400, undefined, now)).toEqual({ expiresAt: new Date(now + 400 * day) });
  });
  it('defaults to the maximum, allows shorter, and refuses longer', () => {
    expect(tokenExpiry(undefined, 90, now)).toEqual({ expiresAt: new Date(now + 90 * day) });
    expect(tokenExpiry(7, 90, now)).toEqual({ expiresAt: new Date(now + 7 * day) });
    expect(tokenExpiry(90, 90, now)).toEqual({ expiresAt: new Date(now + 90 * day) });
    expect(tokenExpiry(91, 90, now)).toEqual({ overMax: 90 });
  });
  it('treats the expiry instant as expired', () => {
    expect(tokenUnexpired({ expiresAt: new Date(now) }, now)).toBe(false);
    expect(tokenUnexpired({ expiresAt: new Date(now + 1) }, now)).toBe(true);
    expect(tokenUnexpired({}, now)).toBe(true);
  });
});
