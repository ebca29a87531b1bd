import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SendRoom, SlowConsumerError, type Tenant } from '../../src/server/send-room.js';

class FakeSocket extends EventEmitter {
  bufferedAmount = 0;
}

/** A tenant that records why it was stalled. */
function tenant(busy: boolean): Tenant & { stalledBy: unknown } {
  return {
    busy,
    stalledBy: undefined,
    stall(error) {
      this.stalledBy = error;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SendRoom', () => {
  it('answers at once, with no promise, while the socket holds no more than its bound', () => {
    const socket = new FakeSocket();
    const room = new SendRoom(socket, 100, 1_000);
    socket.bufferedAmount = 100;
    expect(room.wait()).toBeUndefined();
  });

  it('holds a subscription back while the socket is too full, and lets it go once it drained', async () => {
    const socket = new FakeSocket();
    const room = new SendRoom(socket, 100, 5_000);
    socket.bufferedAmount = 101;
    let released = false;
    const waiting = room.wait()!.then(() => (released = true));
    await sleep(120);
    expect(released).toBe(false);
    socket.bufferedAmount = 50;
    await waiting;
    expect(released).toBe(true);
  });

  it('stalls the tenants with something to send once the socket stayed too full for the timeout, and leaves the idle ones', async () => {
    const socket = new FakeSocket();
    const room = new SendRoom(socket, 100, 150);
    const [sending, idle] = [tenant(true), tenant(false)];
    room.join(sending);
    room.join(idle);
    socket.bufferedAmount = 1_000;
    room.sent();
    await sleep(100);
    expect(sending.stalledBy).toBeUndefined();
    await sleep(200);
    expect(sending.stalledBy).toBeInstanceOf(SlowConsumerError);
    expect((sending.stalledBy as Error).message).toMatch(/more than 100 bytes unread for 150 ms/);
    expect(idle.stalledBy).toBeUndefined();
  });

  it('stalls nobody whose socket drains in time, nor anyone who left', async () => {
    const socket = new FakeSocket();
    const room = new SendRoom(socket, 100, 150);
    const [staying, leaving] = [tenant(true), tenant(true)];
    room.join(staying);
    room.join(leaving);
    room.leave(leaving);
    socket.bufferedAmount = 1_000;
    room.sent();
    await sleep(100);
    socket.bufferedAmount = 0;
    await sleep(200);
    expect(staying.stalledBy).toBeUndefined();
    socket.bufferedAmount = 1_000;
    room.sent();
    await sleep(250);
    expect(staying.stalledBy).toBeInstanceOf(SlowConsumerError);
    expect(leaving.stalledBy).toBeUndefined();
  });

  it('lets every waiting subscription go when the socket closes', async () => {
    const socket = new FakeSocket();
    const room = new SendRoom(socket, 100, 60_000);
    socket.bufferedAmount = 1_000;
    const waits = [room.wait(), room.wait()];
    socket.emit('close');
    await expect(Promise.all(waits)).resolves.toEqual([undefined, undefined]);
  });
});
