/** Who a person is to the lifecycle, from their roles: the one place each of these is decided. */
import { Role } from './types';

interface HasRoles {
  roles: readonly Role[];
  state?: string;
}

export const isSecretariat = (p: HasRoles): boolean => p.roles.includes(Role.Secretariat);

/**
 * Speaks for a member state: its Special Representative, or a deputy. For an actor the API has already
 * dropped a deputy's role outside the delegation's dates (actorOf in src/service/initiatives.ts).
 */
export const speaksForState = (p: HasRoles): boolean =>
  Boolean(p.state) && (p.roles.includes(Role.Representative) || p.roles.includes(Role.Deputy));

/** Speaks for `state` in particular. */
export const speaksFor = (p: HasRoles, state: string | undefined): boolean => speaksForState(p) && p.state === state;
