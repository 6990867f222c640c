// Wrong: the solution's worker, but billing adds one to a counter every time the handler runs. A job can run twice
// (its worker died before acknowledging it, or ran past the queue's visibility time-out): the photo is billed twice.
import type { Env, Job } from 'dojo';
import { makeThumbnail } from './thumbnail.ts';

export default {
  async queue(job: Job<{ id: string }>, env: Env): Promise<void> {
    const { id } = job.data;
    const photo = await env.objects.get(`photos/${id}`);
    if (!photo) return; // the photo was deleted meanwhile: nothing to make
    const thumbnail = await makeThumbnail(photo.body);
    await env.objects.put(`thumbnails/${id}`, thumbnail, { contentType: photo.contentType });
    await env.kv.incr('usage:thumbnails');
  },
};
