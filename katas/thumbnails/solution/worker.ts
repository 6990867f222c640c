// The worker process type: it makes thumbnails, one job at a time, while the web processes go on answering.
// A job may run twice (its worker died before acknowledging it, or ran past the queue's visibility time-out),
// so every step is safe to repeat: the same photo gives the same thumbnail under the same key, and billing adds
// the photo to a set, which holds it once however many times it is added.
import type { Env, Job } from 'dojo';
import { makeThumbnail } from './thumbnail.ts';

export default {
  async queue(job: Job<{ id: string }>, env: Env): Promise<void> {
    const { id } = job.data;
    const photo = await env.objects.get(`photos/${id}`);
    if (!photo) return; // the photo was deleted meanwhile: nothing to make
    const thumbnail = await makeThumbnail(photo.body);
    await env.objects.put(`thumbnails/${id}`, thumbnail, { contentType: photo.contentType });
    await env.kv.sadd('usage:billed', id);
    // Returning acknowledges the job: only now is it done.
  },
};
