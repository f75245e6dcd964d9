/** The audit log's actions on a queue's jobs (safe to import in the browser); targetId is `<queue>/<jobId>`. */
export const RETRY_QUEUE_JOB_ACTION = "retry-queue-job";
export const REMOVE_QUEUE_JOB_ACTION = "remove-queue-job";
