/**
 * Exit codes shared by every command of both CLIs: 0 success, 1 the check found a problem, 2 bad input or a failed
 * service, 3 a bug.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;
