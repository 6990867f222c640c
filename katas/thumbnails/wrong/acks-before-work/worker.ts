// Wrong: the handler only puts the job in a list in the worker's memory and returns, which acknowledges it; a timer
// works through the list later. Until then, the job is done in the queue's eyes but lives only in this process:
// a worker killed meanwhile loses it, and nothing ever brings it back.
import type { Env, Job } from 'dojo';
import { makeThumbnail } from './thumbnail.ts';

const pending: string[] = [];
let draining = false;

async function drain(env: Env): Promise<void> {
  if (draining) return;
  draining = true;
  while (pending.length > 0) {
    const id = pending.shift()!;
    const photo = await env.objects.get(`photos/${id}`);
    if (!photo) continue;
    const thumbnail = await makeThumbnail(photo.body);
    await env.objects.put(`thumbnails/${id}`, thumbnail, { contentType: photo.contentType });
    await env.kv.sadd('usage:billed', id);
  }
  draining = false;
}

export default {
  async queue(job: Job<{ id: string }>, env: Env): Promise<void> {
    pending.push(job.data.id);
    setTimeout(() => void drain(env), 0);
  },
};
