// decideHours, the rule the hour counter is moved by (pure): the threshold mail once per upward
// crossing, the flag cleared below it, the over-limit refusal only for increases past the hours.
// The property runs any sequence of entries, edits and deletions (fixed seed, bounded runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContractRow } from '../db/database.ts';
import { todayIn } from '../../common/contract.ts';
import { decideHours } from './contract-hours.ts';

function contract(overrides: Partial<ContractRow> = {}): ContractRow {
  return {
    account_id: 'a',
    id: 'c',
    organization_id: 'o',
    description: 'Support',
    purchase_order: null,
    customer_contact_id: 'k',
    support_contact_id: 's',
    support_manager_id: null,
    start_date: null,
    end_date: null,
    has_hour_restriction: 1,
    budget_minutes: 600,
    threshold_minutes: 300,
    used_minutes: 0,
    threshold_notified: 0,
    created_at: '',
    updated_at: '',
    ...overrides,
  };
}

describe('todayIn', () => {
  it("is the account's calendar day, not UTC's", () => {
    const lateNewYearsEve = new Date('2026-12-31T23:30:00Z');
    expect(todayIn('Europe/Oslo', lateNewYearsEve)).toBe('2027-01-01');
    expect(todayIn('UTC', lateNewYearsEve)).toBe('2026-12-31');
    expect(todayIn('America/New_York', lateNewYearsEve)).toBe('2026-12-31');
    expect(todayIn('Not/AZone', lateNewYearsEve)).toBe('2026-12-31');
  });
});

describe('decideHours', () => {
  it('crosses the threshold on reaching it, and the limit only past it', () => {
    expect(decideHours(contract(), 300)).toMatchObject({
      usedAfter: 300,
      crossedThreshold: true,
      thresholdNotified: true,
      overLimit: false,
    });
    expect(decideHours(contract({ used_minutes: 300, threshold_notified: 1 }), 300)).toMatchObject({
      crossedThreshold: false,
      overLimit: false,
      crossedLimit: false,
    });
    expect(decideHours(contract({ used_minutes: 600, threshold_notified: 1 }), 1)).toMatchObject({
      overLimit: true,
      crossedLimit: true,
    });
    expect(decideHours(contract({ used_minutes: 700, threshold_notified: 1 }), -50)).toMatchObject({
      overLimit: false,
      crossedLimit: false,
      thresholdNotified: true,
    });
    expect(decideHours(contract({ used_minutes: 310, threshold_notified: 1 }), -20)).toMatchObject({
      thresholdNotified: false,
    });
  });

  it('ignores budget and threshold without an hour restriction', () => {
    expect(decideHours(contract({ has_hour_restriction: 0 }), 10_000)).toMatchObject({
      usedAfter: 10_000,
      overLimit: false,
      crossedThreshold: false,
      crossedLimit: false,
    });
  });

  it('mails once per upward crossing over any sequence of changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: -200, max: 200 }), { maxLength: 60 }),
        (threshold, deltas) => {
          let row = contract({ threshold_minutes: threshold, budget_minutes: 100_000 });
          let mails = 0;
          let crossings = 0;
          let used = 0;
          for (const raw of deltas) {
            // Hours used never go below zero: a deletion removes at most what was logged.
            const delta = Math.max(raw, -used);
            if (used < threshold && used + delta >= threshold) crossings += 1;
            const decision = decideHours(row, delta);
            if (decision.crossedThreshold) mails += 1;
            used += delta;
            expect(decision.usedAfter).toBe(used);
            expect(decision.thresholdNotified).toBe(used >= threshold);
            row = {
              ...row,
              used_minutes: decision.usedAfter,
              threshold_notified: decision.thresholdNotified ? 1 : 0,
            };
          }
          expect(mails).toBe(crossings);
        },
      ),
      { seed: 20261202, numRuns: 500 },
    );
  });
});
