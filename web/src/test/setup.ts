// jsdom has no animation frames unless asked; Preact's hooks schedule effects with them.
import { options } from 'preact';

const g = globalThis as unknown as Record<string, unknown>;
if (typeof g.requestAnimationFrame !== 'function') g.requestAnimationFrame = (cb: (t: number) => void) => setTimeout(() => cb(Date.now()), 0);
if (typeof g.cancelAnimationFrame !== 'function') g.cancelAnimationFrame = (id: ReturnType<typeof setTimeout>) => clearTimeout(id);
// Run effects on a plain timer rather than Preact's frame-plus-100-ms fallback, whose late timer
// could fire after a test file's environment is torn down (cancelAnimationFrame is then gone)
// when the machine is busy.
(options as { requestAnimationFrame?: (cb: () => void) => void }).requestAnimationFrame = (cb) => setTimeout(cb, 0);
