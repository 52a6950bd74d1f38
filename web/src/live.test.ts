import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveHub, type LiveMessage, type LiveStatus } from './live';

class FakeSocket {
  static last: FakeSocket | undefined;
  static OPEN = 1;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(s: string) {
    this.sent.push(s);
  }
  close() {
    this.onclose?.();
  }
}

describe('LiveHub', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('connects, reports its status, delivers messages and reconnects after a drop', () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const hub = new LiveHub(() => 'ws://kith.test/api/v1/live');
    const statuses: LiveStatus[] = [];
    const messages: LiveMessage[] = [];
    hub.onStatus((s) => statuses.push(s));
    hub.subscribe((m) => messages.push(m));
    hub.start();
    const first = FakeSocket.last!;
    expect(first.url).toBe('ws://kith.test/api/v1/live');
    first.readyState = 1;
    first.onopen!();
    first.onmessage!({ data: JSON.stringify({ type: 'child_updated', child_id: 'K1', what: 'chronology' }) });
    first.onmessage!({ data: 'not json' });
    expect(messages).toEqual([{ type: 'child_updated', child_id: 'K1', what: 'chronology' }]);
    vi.advanceTimersByTime(25000);
    expect(first.sent).toContain(JSON.stringify({ type: 'ping' }));

    first.onclose!();
    expect(statuses).toEqual(['offline', 'connecting', 'live', 'offline']);
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.last).not.toBe(first);
    hub.stop();
    expect(statuses.at(-1)).toBe('offline');
  });
});
