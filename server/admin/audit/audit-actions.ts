/** Audit log actions that the admin pages filter by (this module is safe to import in the browser). */
export const ADJUST_POINTS_ACTION = "adjust-points";
export const RETRY_PARKED_STREAM_ACTION = "retry-parked-stream";
