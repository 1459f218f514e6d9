import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { turnKeys } from './turn-keys.ts';

/** The part of a key Redis Cluster hashes (cluster spec, "hash tags"). */
const hashTag = (key: string) => {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open === -1 || close === -1 || close === open + 1 ? key : key.slice(open + 1, close);
};

describe('turnKeys', () => {
  it("puts a turn's own keys under the turn's hash tag, and the queue and cancel channel under the prefix's", () => {
    const k = turnKeys('tp');
    expect(k.events('a')).toBe('{tp/turn/a}:events');
    expect(k.live('a')).toBe('{tp/turn/a}:live');
    expect(k.record('a')).toBe('{tp/turn/a}:state');
    expect(k.cancelFlag('a')).toBe('{tp/turn/a}:cancel');
    expect(k.queuePrefix).toBe('{tp}');
    expect(k.cancelChannel).toBe('{tp}:cancel');
  });

  it("for every prefix and turn id: one slot per turn, turns apart from each other and from the queue's slot", () => {
    const id = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), id, id, (p, a, b) => {
        const k = turnKeys(p);
        const own = new Set([k.events(a), k.live(a), k.record(a), k.cancelFlag(a)].map(hashTag));
        expect([...own]).toEqual([`${p}/turn/${a}`]);
        expect(hashTag(`${k.queuePrefix}:turns:wait`)).toBe(p);
        expect(hashTag(k.cancelChannel)).toBe(p);
        if (a !== b) expect(hashTag(k.events(b))).not.toBe(hashTag(k.events(a)));
      }),
    );
  });
});
