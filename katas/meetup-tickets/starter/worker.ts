// The worker process type: it answers no requests, and does nothing yet. A `queue(job, env)` handler here would
// get the jobs of env.queue (see the brief).
export default {};
