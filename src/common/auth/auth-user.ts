import type { Role, UserStatus } from '../../generated/prisma/enums';

/** Who is making the request, as loaded fresh from the database on every request. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  mustChangePassword: boolean;
  /** How the request was authenticated. */
  via: 'session' | 'token';
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: AuthUser;
  }
  interface Session {
    userId?: string;
    /** Role when the session was issued; a change regenerates the session id. */
    role?: string;
    /** Sign-in time (ms): the absolute timeout counts from here. */
    authAt?: number;
    /** Last request (ms), refreshed at most once a minute: the idle timeout counts from here. */
    lastSeenAt?: number;
    flash?: { type: 'success' | 'error' | 'info'; message: string }[];
  }
}
