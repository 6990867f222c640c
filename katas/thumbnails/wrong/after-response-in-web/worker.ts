// The worker process type: the tests start it as `worker` (as many as they like, zero included).
// It does nothing yet. A process whose module has a `queue(job, env)` handler gets the queue's jobs.
export default {};
