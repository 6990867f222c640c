// Wrong: the handler starts the work but does not wait for it (no `await`), so it returns at once and the queue
// counts the job as done while the thumbnail is still being made. A worker killed then loses it for good.
import type { Env, Job } from 'dojo';
import { makeThumbnail } from './thumbnail.ts';

async function makeAndStore(id: string, env: Env): Promise<void> {
  const photo = await env.objects.get(`photos/${id}`);
  if (!photo) return;
  const thumbnail = await makeThumbnail(photo.body);
  await env.objects.put(`thumbnails/${id}`, thumbnail, { contentType: photo.contentType });
  await env.kv.sadd('usage:billed', id);
}

export default {
  async queue(job: Job<{ id: string }>, env: Env): Promise<void> {
    void makeAndStore(job.data.id, env);
  },
};
