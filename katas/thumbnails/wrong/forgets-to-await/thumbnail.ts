// The image library: makes a photo's thumbnail. Leave this file as it is; it stands for a real resizer (sharp,
// ImageMagick), which is slow: about a millisecond of work per 10 bytes of photo (2 s for a 20 KB photo).
import { setTimeout as working } from 'node:timers/promises';

/** The thumbnail of a photo: its first 8 bytes (the format's header), then every 16th byte. Same photo, same bytes. */
export async function makeThumbnail(photo: Uint8Array): Promise<Uint8Array> {
  await working(Math.ceil(photo.byteLength / 10));
  const thumbnail = new Uint8Array(8 + Math.ceil(Math.max(0, photo.byteLength - 8) / 16));
  thumbnail.set(photo.subarray(0, 8));
  for (let i = 8, j = 8; i < photo.byteLength; i += 16, j++) thumbnail[j] = photo[i]!;
  return thumbnail;
}
