// jsdom has no animation frames unless asked; Preact's hooks schedule effects with them.
const g = globalThis as unknown as Record<string, unknown>;
if (typeof g.requestAnimationFrame !== 'function') g.requestAnimationFrame = (cb: (t: number) => void) => setTimeout(() => cb(Date.now()), 0);
if (typeof g.cancelAnimationFrame !== 'function') g.cancelAnimationFrame = (id: ReturnType<typeof setTimeout>) => clearTimeout(id);
