// The worker process type: nothing to do in this variant (the web processes send the report).
export default {};
