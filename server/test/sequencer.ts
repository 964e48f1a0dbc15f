// The order the test files start in. Two workers share the parallel group; a long file that
// starts last keeps one worker busy while the other idles (CI once spent a third of the group
// so). The files measured longest start first, longest first (the classic longest-job-first
// schedule); the rest follow in vitest's own order (failed first, then by the durations it
// remembers, on a fresh clone by file size). Refresh the list when a file grows past it.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, measured on 2026-12-02 (seconds on the 2-core machine, local run). */
const LONGEST = [
  'e2e/customer-list.e2e.test.ts', // 134
  'e2e/console-pages.e2e.test.ts', // 75
  'server/cli.test.ts', // 39
  'e2e/hub.e2e.test.ts', // 34
  'e2e/profile-pages.e2e.test.ts', // 26
  'e2e/organizations.e2e.test.ts', // 22
  'e2e/customers.e2e.test.ts', // 21
  'server/http/fuzz.test.ts', // 20
  'e2e/language.e2e.test.ts', // 20
  'e2e/delivery.e2e.test.ts', // 19
  'e2e/tickets.e2e.test.ts', // 18
  'e2e/imports.e2e.test.ts', // 18
  'e2e/agents.e2e.test.ts', // 17
  'server/http/permission-matrix.test.ts', // 17
  'server/intake/sms.http.test.ts', // 15
];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = LONGEST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
      return at === -1 ? LONGEST.length : at;
    };
    // Stable: within the same rank (all the unlisted files) vitest's order stays.
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort(
        (a, b) =>
          a.spec.project.config.sequence.groupOrder - b.spec.project.config.sequence.groupOrder ||
          rank(a.spec) - rank(b.spec) ||
          a.index - b.index,
      )
      .map(({ spec }) => spec);
  }
}
