// Unit tests of the S3-like object store backing service.
import { describe, it, expect, expectTypeOf } from 'vitest';
import { VirtualClock } from '../../../src/engine/core/clock.ts';
import { MemoryObjectStore, StoredObjectData, wrapStoredObject } from '../../../src/engine/services/objects.ts';
import { SERVICE_METHODS } from '../../../src/engine/services/index.ts';
import type { ObjectStore } from '../../../src/engine/services/types.ts';

function setup() {
  const clock = new VirtualClock();
  return { clock, objects: new MemoryObjectStore(clock) };
}

describe('MemoryObjectStore put/get', () => {
  it('stores a string as UTF-8 and reads it back', async () => {
    const { clock, objects } = setup();
    const info = await objects.put('notes/hello.txt', 'héllo ✓', { contentType: 'text/plain' });
    expect(info).toMatchObject({ key: 'notes/hello.txt', size: 10, contentType: 'text/plain', uploaded: clock.now() });
    const object = await objects.get('notes/hello.txt');
    expect(object).toBeInstanceOf(StoredObjectData);
    expect(await object!.text()).toBe('héllo ✓');
    expect(object!.body).toEqual(new TextEncoder().encode('héllo ✓'));
  });

  it('accepts Uint8Array, ArrayBuffer and Blob bodies', async () => {
    const { objects } = setup();
    await objects.put('u8', new Uint8Array([1, 2, 3]));
    await objects.put('ab', new Uint8Array([4, 5]).buffer);
    await objects.put('blob', new Blob(['<p>hi</p>'], { type: 'text/html' }));
    expect((await objects.get('u8'))!.body).toEqual(new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(await (await objects.get('ab'))!.arrayBuffer())).toEqual(new Uint8Array([4, 5]));
    const blob = await objects.get('blob');
    expect(await blob!.text()).toBe('<p>hi</p>');
    expect(blob!.contentType).toBe('text/html');
  });

  it('stores only the bytes of a Uint8Array view, not its whole buffer', async () => {
    const { objects } = setup();
    const view = new Uint8Array([9, 9, 1, 2, 9]).subarray(2, 4);
    expect((await objects.put('view', view)).size).toBe(2);
    expect((await objects.get('view'))!.body).toEqual(new Uint8Array([1, 2]));
  });

  it('defaults the content type to application/octet-stream', async () => {
    const { objects } = setup();
    expect((await objects.put('k', 'x')).contentType).toBe('application/octet-stream');
  });

  it('copies bytes on put: later changes by the caller do not reach the store', async () => {
    const { objects } = setup();
    const bytes = new Uint8Array([1, 2, 3]);
    const buffer = new Uint8Array([7, 7]).buffer;
    await objects.put('a', bytes);
    await objects.put('b', buffer);
    bytes[0] = 99;
    new Uint8Array(buffer)[0] = 99;
    expect((await objects.get('a'))!.body).toEqual(new Uint8Array([1, 2, 3]));
    expect((await objects.get('b'))!.body).toEqual(new Uint8Array([7, 7]));
  });

  it('copies bytes on get: changing a returned body does not change the store', async () => {
    const { objects } = setup();
    await objects.put('a', new Uint8Array([1, 2, 3]));
    const first = await objects.get('a');
    first!.body[0] = 99;
    new Uint8Array(await first!.arrayBuffer())[1] = 99;
    expect((await objects.get('a'))!.body).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('returns null for a missing object', async () => {
    const { objects } = setup();
    expect(await objects.get('nope')).toBeNull();
    expect(await objects.head('nope')).toBeNull();
  });

  it('records the upload time from the virtual clock and updates it on overwrite', async () => {
    const { clock, objects } = setup();
    const first = await objects.put('k', 'v1');
    clock.advance(60_000);
    const second = await objects.put('k', 'v2');
    expect(second.uploaded - first.uploaded).toBe(60_000);
    expect((await objects.head('k'))!.uploaded).toBe(clock.now());
  });
});

describe('MemoryObjectStore etag', () => {
  it('is deterministic for the same bytes and changes with the content', async () => {
    const { objects } = setup();
    const a = await objects.put('a', 'same');
    const b = await objects.put('b', new TextEncoder().encode('same'));
    const c = await objects.put('a', 'different');
    expect(a.etag).toMatch(/^[0-9a-f]{8}$/);
    expect(b.etag).toBe(a.etag);
    expect(c.etag).not.toBe(a.etag);
    expect((await objects.head('a'))!.etag).toBe(c.etag);
  });
});

describe('MemoryObjectStore head/delete/list', () => {
  it('head returns metadata without a body', async () => {
    const { objects } = setup();
    await objects.put('k', 'abc', { contentType: 'text/plain' });
    const info = await objects.head('k');
    expect(info).toEqual({ key: 'k', size: 3, contentType: 'text/plain', uploaded: expect.any(Number), etag: expect.any(String) });
    expect(info).not.toHaveProperty('body');
  });

  it('delete reports whether something was deleted', async () => {
    const { objects } = setup();
    await objects.put('k', 'v');
    expect(await objects.delete('k')).toBe(true);
    expect(await objects.delete('k')).toBe(false);
    expect(await objects.get('k')).toBeNull();
  });

  it('list is sorted by key and filtered by prefix', async () => {
    const { objects } = setup();
    for (const key of ['uploads/b.png', 'avatars/1.png', 'uploads/a.png', 'uploads-old/x', 'uploads/sub/c.png']) {
      await objects.put(key, key);
    }
    expect((await objects.list()).map((o) => o.key)).toEqual([
      'avatars/1.png',
      'uploads-old/x',
      'uploads/a.png',
      'uploads/b.png',
      'uploads/sub/c.png',
    ]);
    expect((await objects.list({ prefix: 'uploads/' })).map((o) => o.key)).toEqual([
      'uploads/a.png',
      'uploads/b.png',
      'uploads/sub/c.png',
    ]);
    expect(await objects.list({ prefix: 'nothing/' })).toEqual([]);
  });
});

describe('MemoryObjectStore keys', () => {
  it.each(['', 'x'.repeat(1025)])('rejects a key of length %#', async (key) => {
    const { objects } = setup();
    await expect(objects.put(key, 'v')).rejects.toThrow(/key must be a non-empty string of at most 1024 characters/);
    await expect(objects.get(key)).rejects.toThrow(/non-empty string/);
    expect(objects.size).toBe(0);
  });

  it('accepts a key of exactly 1024 characters', async () => {
    const { objects } = setup();
    const key = 'k'.repeat(1024);
    await objects.put(key, 'v');
    expect((await objects.head(key))!.key).toBe(key);
  });

  it('rejects a non-string key', async () => {
    const { objects } = setup();
    await expect(objects.put(42 as unknown as string, 'v')).rejects.toThrow(/got number/);
  });
});

describe('MemoryObjectStore over RPC', () => {
  it('every result survives structuredClone', async () => {
    const { objects } = setup();
    const results = [
      await objects.put('k', 'v'),
      await objects.head('k'),
      await objects.head('missing'),
      await objects.list(),
      await objects.get('missing'),
      await objects.delete('missing'),
    ];
    expect(structuredClone(results)).toEqual(results);
  });

  it('a stored object clones to plain data that wrapStoredObject turns back into a StoredObject', async () => {
    const { objects } = setup();
    await objects.put('k', 'payload', { contentType: 'text/plain' });
    const original = await objects.get('k');
    const cloned = structuredClone(original)!;
    expect(cloned).not.toBeInstanceOf(StoredObjectData);
    expect(Object.values(cloned).some((value) => typeof value === 'function')).toBe(false);
    const wrapped = wrapStoredObject(cloned);
    expect(wrapped).toBeInstanceOf(StoredObjectData);
    expect(await wrapped.text()).toBe('payload');
    expect({ ...wrapped }).toEqual({ ...original });
    expect(wrapStoredObject(null)).toBeNull();
  });

  it('wrapStoredObject rejects data without a byte body', () => {
    expect(() => wrapStoredObject({ key: 'k', size: 0, contentType: '', uploaded: 0, etag: '', body: 'x' as unknown as Uint8Array<ArrayBuffer> })).toThrow(
      /Uint8Array/,
    );
  });

  it('the RPC allow-list names every ObjectStore method', () => {
    expectTypeOf<(typeof SERVICE_METHODS.objects)[number]>().toEqualTypeOf<keyof ObjectStore>();
    const { objects } = setup();
    for (const name of SERVICE_METHODS.objects) expect(typeof objects[name]).toBe('function');
    expect([...SERVICE_METHODS.objects].sort()).toEqual(['delete', 'get', 'head', 'list', 'put', 'signedUrl']);
    expect(SERVICE_METHODS.objects).not.toContain('serveSigned'); // only a client holding a signed URL reaches it
  });
});
