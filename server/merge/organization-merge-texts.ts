// The sentences an organization merge or its undo can answer with (problem details a person
// reads): English here, Bokmål through web/i18n/server-message-rules.ts, both checked by
// organization-merge-sentences.test.ts.

/** What an undo checks, in the words its refusal uses. */
export const MOVED_KIND_WORDS: Record<string, string> = {
  customers: 'customers',
  domains: 'domains',
  tickets: 'tickets',
  locations: 'locations',
  areas: 'areas',
  contracts: 'contracts',
  routingRules: 'routing rules',
  notificationGroups: 'notification groups',
  teamAccess: 'team access entries',
  hubGrants: 'Customer Hub grants',
};

export const ORGANIZATION_MERGE_SENTENCES = {
  alreadyMerged: 'This organization was merged into another one already',
  pointerReadOnly: 'This organization was merged into another one; change that one instead',
  mergedJustNow: 'One of the two was merged just now',
  survivorMerged: 'The organization kept was merged into another one since',
  survivorDeleted: 'The organization kept was deleted since',
  survivorEdited: (name: string) => `${name} was edited since the merge`,
  nameTaken: (name: string) => `An organization named ${name} exists now`,
  erased: (count: number) => `${count} of the customers it moved were erased since`,
  changedSince: (name: string, moved: Record<string, number>) =>
    `Since the merge, some of what it moved left ${name} or was removed: ` +
    Object.entries(moved)
      .map(([kind, n]) => `${MOVED_KIND_WORDS[kind] ?? kind} (${n})`)
      .join(', '),
};
