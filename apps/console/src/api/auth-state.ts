// Whether the API asked for a key: any 401 raises it, a saved key clears it. Views that talk
// to the API re-run when `generation` changes (a new key), so streams reconnect with it.

type Listener = () => void;

let needed = false;
let generation = 0;
const listeners = new Set<Listener>();

export const authState = {
  get needed(): boolean {
    return needed;
  },
  get generation(): number {
    return generation;
  },
  /** A request got 401: show the key form. */
  require(): void {
    if (needed) return;
    needed = true;
    for (const l of listeners) l();
  },
  /** A key was saved: hide the form, and let every view retry with it. */
  satisfied(): void {
    needed = false;
    generation += 1;
    for (const l of listeners) l();
  },
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
