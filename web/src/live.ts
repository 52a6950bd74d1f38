// Live updates over the WebSocket /api/v1/live: one connection per signed-in tab, shared by
// every view. Views subscribe to messages; the connection reconnects with back-off.
import type { FeedItem } from './types';

export type LiveMessage =
  | { type: 'feed'; item: FeedItem }
  | { type: 'child_updated'; child_id: string; what: 'chronology' | 'forum' | 'wheel' | 'team' | 'family' }
  | { type: string; [k: string]: unknown };

export type LiveStatus = 'connecting' | 'live' | 'offline' | 'unavailable';

type Listener = (m: LiveMessage) => void;
type StatusListener = (s: LiveStatus) => void;

export class LiveHub {
  private ws: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private statusListeners = new Set<StatusListener>();
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ping: ReturnType<typeof setInterval> | undefined;
  private stopped = true;
  private everOpened = false;
  status: LiveStatus = 'offline';

  constructor(private readonly url: () => string = defaultUrl) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.ping);
    this.ws?.close();
    this.ws = null;
    this.setStatus('offline');
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onStatus(l: StatusListener): () => void {
    this.statusListeners.add(l);
    l(this.status);
    return () => this.statusListeners.delete(l);
  }

  /** Delivers a message as if it had arrived (used by tests and by local echo). */
  dispatch(m: LiveMessage): void {
    this.listeners.forEach((l) => l(m));
  }

  private setStatus(s: LiveStatus) {
    this.status = s;
    this.statusListeners.forEach((l) => l(s));
  }

  private connect() {
    if (this.stopped) return;
    this.setStatus('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.setStatus('unavailable');
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.everOpened = true;
      this.setStatus('live');
      clearInterval(this.ping);
      this.ping = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping' }));
      }, 25000);
    };
    ws.onmessage = (ev) => {
      let m: LiveMessage;
      try {
        m = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      this.dispatch(m);
    };
    ws.onclose = () => {
      clearInterval(this.ping);
      if (this.ws === ws) this.ws = null;
      if (this.stopped) return;
      // A server that never accepted the upgrade has no live endpoint yet: retry slowly.
      this.setStatus(this.everOpened ? 'offline' : 'unavailable');
      const delay = Math.min(30000, 1000 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.connect(), this.everOpened ? delay : Math.max(delay, 15000));
    };
  }
}

function defaultUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/v1/live`;
}

export const live = new LiveHub();
