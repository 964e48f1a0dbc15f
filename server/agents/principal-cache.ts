// A few seconds of memory for who a token or session is: most API calls are a burst from one
// client, and resolving token → user → role on each of them costs three queries. A revoked token
// or ended session is forgotten at once on this node; other nodes forget it within the TTL.
import type { Principal } from './principal.ts';

export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; expires: number }>();

  constructor(
    private readonly ttlMs = 5000,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now = Date.now()): Principal | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(key: string, principal: Principal, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { principal, expires: now + this.ttlMs });
  }

  forget(match: (key: string, principal: Principal) => boolean): void {
    for (const [key, entry] of this.entries)
      if (match(key, entry.principal)) this.entries.delete(key);
  }
}
