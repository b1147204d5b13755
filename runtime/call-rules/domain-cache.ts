/**
 * The domain cache of the digest protocol
 * (docs/protocol.md#the-domain-digest-and-449), owned by one app. rasa-sdk
 * keeps a single (digest, domain) pair, so two Rasa models sharing one action
 * server ping-pong it with a 449 each time; this keeps the last few digests
 * instead (least recently used out first).
 */
import type { DomainDict } from '../rasa/index.js';

/** A small LRU of domains by digest. */
export interface DomainCache {
  /** the domain cached for a digest */
  get(digest: string): DomainDict | undefined;
  /** remember a domain for a digest */
  set(digest: string, domain: DomainDict): void;
}

/**
 * A new cache.
 * @param maxEntries domains kept; a Rasa domain can be hundreds of KB. Default: 4
 */
export function createDomainCache(maxEntries = 4): DomainCache {
  const entries = new Map<string, DomainDict>();
  return {
    get(digest: string): DomainDict | undefined {
      const domain = entries.get(digest);
      if (domain !== undefined) {
        // Re-insert to mark as most recently used.
        entries.delete(digest);
        entries.set(digest, domain);
      }
      return domain;
    },
    set(digest: string, domain: DomainDict): void {
      entries.delete(digest);
      entries.set(digest, domain);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
  };
}
