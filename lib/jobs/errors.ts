// How a job handler tells the worker what to do with a failure it understands. Anything else is
// treated as transient and retried with backoff.

/** Retrying cannot help (e.g. the item was deleted in GitLab): fail at once, visibly. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}
