// The worker process type: nothing to do in this design (the web processes claim and send the daily report).
export default {};
