// The rules that turn the server's English sentences that are not field errors (problem titles
// and details, inbound mail reasons, the import's row reasons, which reports keep as text) into
// the console's language: a pattern per sentence and the resource it becomes. Field errors are
// translated by their code (field-errors.ts); their sentences are here only where an import row
// or an inbound reason repeats them. Kept apart from server-messages.ts, which adds the
// console's current language, so that a plain Node test (e2e/server-messages.test.ts) can check
// every sentence a feature can show against them.
import type { TFunction } from 'i18next';

type Rule = [RegExp, (t: TFunction, match: RegExpMatchArray) => string];

const RULES: Rule[] = [
  // The import's row reasons (server/imports/csv-reader.ts, row.ts, import-batch.ts, and the
  // custom field values and identities they repeat) and the text policy.
  [
    /^contains a control character \((U\+[0-9A-F]{4,6})\)$/i,
    (t, m) => t('validation.controlCharacter', { code: m[1] }),
  ],
  [/^not valid UTF-8 text$/i, (t) => t('validation.notUtf8')],
  [/^the row is longer than (\d+) KB$/i, (t, m) => t('validation.rowTooLong', { kb: m[1] })],
  [
    /^the row has (\d+) cells but the header has (\d+)$/i,
    (t, m) => t('validation.tooManyCells', { cells: m[1], header: m[2] }),
  ],
  [
    /^(.+) cannot be an attribute name$/i,
    (t, m) => t('validation.reservedAttribute', { name: m[1] }),
  ],
  [/^an email address or a mobile number is required/i, (t) => t('validation.emailOrPhone')],
  [
    /^the (email address|mobile number) belongs to customer #(\S+), not to the customer of the row$/i,
    (t, m) =>
      t(m[1] === 'email address' ? 'validation.emailOfOther' : 'validation.phoneOfOther', {
        number: m[2],
      }),
  ],
  [/ is required$/i, (t) => t('validation.required')],
  [/^must be one of: (.+)$/i, (t, m) => t('validation.oneOf', { options: m[1] })],
  [
    /^"(.+)" is not one of: (.+)$/i,
    (t, m) => t('validation.notOneOf', { value: m[1], options: m[2] }),
  ],
  [/^must be a whole number/i, (t) => t('validation.wholeNumber')],
  [/^must be a number/i, (t) => t('validation.number')],
  [/^(must be a date|not a real date)/i, (t) => t('validation.date')],
  [/^not a web address/i, (t) => t('validation.url')],
  [/^does not match the pattern (.+)$/i, (t, m) => t('validation.pattern', { pattern: m[1] })],
  [/^not an email address/i, (t) => t('validation.invalidEmail')],
  [/^not a (valid )?phone number/i, (t) => t('validation.invalidPhone')],
  [/at most (\d+) characters/i, (t, m) => t('validation.atMost', { max: m[1] })],
  // Why inbound mail was ignored (server/intake/inbound-mail.ts).
  [
    /^automatic mail \(Auto-Submitted: (.+)\)$/,
    (t, m) => t('inbound.reason.autoSubmitted', { value: m[1] }),
  ],
  [/^bulk mail \(Precedence: (.+)\)$/, (t, m) => t('inbound.reason.precedence', { value: m[1] })],
  [/^automatic reply \(X-Autoreply\)$/, (t) => t('inbound.reason.autoReply')],
  [/^mailing list \(List-Id or List-Unsubscribe\)$/, (t) => t('inbound.reason.list')],
  [/^our own outgoing mail$/, (t) => t('inbound.reason.ownOutgoing')],
  [/^automated sender (.*)$/, (t, m) => t('inbound.reason.automatedSender', { address: m[1] })],
  [/^delivery report$/, (t) => t('inbound.reason.deliveryReport')],
  [
    /^null envelope sender \(a bounce or an automatic reply\)$/,
    (t) => t('inbound.reason.nullSender'),
  ],
  [
    /^sent from this account's own address (\S+) \(a mail loop\)$/,
    (t, m) => t('inbound.reason.ownAddress', { address: m[1] }),
  ],
  [/^no sender address$/, (t) => t('inbound.reason.noSender')],
  [
    /^sender (\S+): (.+)$/,
    (t, m) =>
      t('inbound.reason.badSender', {
        address: m[1],
        problem: translateServerMessage(m[2] ?? '', t),
      }),
  ],
  // The retention purge as the actor of a Deleted Customers row (server/erasure/erasure.service.ts).
  [/^Retention policy$/, (t) => t('erasure.reason.retention_policy')],
  // Both refusals at once (server/erasure/erasure.service.ts joins them with "; ").
  [
    /^(The customer has .+); (The customer is within the retention period; .+)$/,
    (t, m) => `${translateServerMessage(m[1] ?? '', t)} ${translateServerMessage(m[2] ?? '', t)}`,
  ],
  [
    /^The customer has (\d+) unresolved tickets?: (.+)$/,
    (t, m) => t('erasure.unresolvedTickets', { count: Number(m[1]), tickets: m[2] }),
  ],
  [
    /^The customer is within the retention period; erasure is possible from (\S+)$/,
    (t, m) => t('erasure.withinRetention', { date: m[1], timeZone: '' }).replace(' ()', ''),
  ],
  // Erasure refusals (server/erasure/retention.ts) and the archive's refusals
  // (server/exports/export.service.ts).
  [
    /^The archive expired on (\S*) and was deleted; request a new one$/,
    (t, m) => t('exports.problemExpired', { date: m[1] }),
  ],
  [/^The archive could not be made; request a new one$/, (t) => t('exports.problemFailed')],
  [/^The archive is still being prepared$/, (t) => t('exports.problemNotReady')],
  [/^The customer no longer exists$/, (t) => t('exports.problemCustomerGone')],
  // Webhooks (server/webhooks/): refusals, and why a delivery in the log failed.
  [
    /^An account has at most (\d+) webhook endpoints; delete one first$/,
    (t, m) => t('webhooks.problem.limit', { max: m[1] }),
  ],
  [/^The endpoint is deactivated; activate it first$/, (t) => t('webhooks.problem.inactive')],
  [/^Only a failed delivery can be retried/, (t) => t('webhooks.problem.notFailed')],
  [/^answered HTTP (\d+)$/, (t, m) => t('webhooks.problem.answered', { status: m[1] })],
  [/^no answer within ([\d.]+) s$/, (t, m) => t('webhooks.problem.timeout', { seconds: m[1] })],
  [/^refused: the address is private/, (t) => t('webhooks.problem.private')],
  [/^the endpoint is deactivated$/, (t) => t('webhooks.problem.deactivatedEndpoint')],
  [/\bECONNREFUSED\b/, (t) => t('webhooks.problem.connectionRefused')],
  [/\bENOTFOUND\b/, (t) => t('webhooks.problem.notFound')],
  // Agents, roles and set-password links (server/agents/agent-admin.service.ts, role.service.ts,
  // password-link.service.ts).
  [/^no such role$/, (t) => t('agents.problem.noSuchRole')],
  [/^no team (\S+)$/, (t, m) => t('agents.problem.noSuchTeam', { id: m[1] })],
  [
    /^The account must keep at least one active administrator$/,
    (t) => t('agents.problem.lastAdministrator'),
  ],
  [
    /^1 agent has this role; give them another role first$/,
    (t) => t('agents.problem.roleInUseOne'),
  ],
  [
    /^(\d+) agents have this role; give them another role first$/,
    (t, m) => t('agents.problem.roleInUse', { count: m[1] }),
  ],
  [/^A role named (.+) exists$/, (t, m) => t('agents.problem.roleNamed', { name: m[1] })],
  [/^Link not valid$/, (t) => t('agents.problem.titleLinkNotValid')],
  [/^Link expired$/, (t) => t('agents.problem.titleLinkExpired')],
  [/^Link already used$/, (t) => t('agents.problem.titleLinkUsed')],
  [/^A built-in role cannot be deleted$/, (t) => t('agents.problem.roleBuiltIn')],
  [
    /^The Administrator role always has every permission and cannot be changed$/,
    (t) => t('agents.problem.roleReadOnly'),
  ],
  [/^The agent is deactivated; reactivate them first$/, (t) => t('agents.problem.userDeactivated')],
  [
    /^An agent with the email (\S+) already exists$/,
    (t, m) => t('agents.problem.agentEmailTaken', { email: m[1] }),
  ],
  [
    /^This link is not valid; ask an administrator for a new one$/,
    (t) => t('agents.problem.linkNotValid'),
  ],
  [
    /^This link has expired; ask an administrator for a new one$/,
    (t) => t('agents.problem.linkExpired'),
  ],
  [
    /^This link has already been used; log in, or ask an administrator for a new one$/,
    (t) => t('agents.problem.linkUsed'),
  ],
  // Problems any route of exports and erasure answers (server/errors.ts, paging, path ids).
  [/^No customer with id (\S+)$/, (t, m) => t('errors.noCustomerWithId', { id: m[1] })],
  [/^No export with id (\S+)$/, (t, m) => t('errors.noExportWithId', { id: m[1] })],
  [
    /^No duplicate_suggestion with id (\S+)$/,
    (t, m) => t('errors.noDuplicateSuggestionWithId', { id: m[1] }),
  ],
  [/^Not found$/, (t) => t('errors.titleNotFound')],
  [/^Conflict$/, (t) => t('errors.titleConflict')],
  [/^Gone$/, (t) => t('errors.titleGone')],
  [/^The request is not valid$/, (t) => t('errors.titleInvalid')],
  // Who sees what (server/customers/customer-scope.ts, server/tickets/ticket.service.ts create,
  // server/teams/team.service.ts checkAccess): for a console that does not know their codes.
  [
    /^is not one of the organizations your teams serve$/,
    (t) => t('teams.server.outOfScopeOrganization'),
  ],
  [
    /^choose one of the organizations your teams serve$/,
    (t) => t('teams.server.chooseServedOrganization'),
  ],
  [/^the ticket would be outside what your teams serve/, (t) => t('teams.server.ticketOutOfScope')],
  [/^not a location of this organization$/, (t) => t('teams.server.notLocationOfOrganization')],
  [/^an area is served with its location/, (t) => t('teams.server.areaNeedsLocation')],
  [/^no such organization$/, (t) => t('teams.server.noSuchOrganization')],
  [
    /^The Hub address (.+) belongs to another account$/,
    (t, m) => t('customerHub.server.slugTaken', { slug: m[1] }),
  ],
  // Who sees what (issue 13): an import needs the whole account (server/imports/import.service.ts).
  [/^Importing customers needs the permission scope\.all$/, (t) => t('imports.needsScopeAll')],
  // The Customer Hub's sign-in (server/hub/hub-auth.service.ts, hub-links.service.ts, hub-site.ts).
  [/^No Customer Hub here$/, (t) => t('hubAuthServer.titleNoHub')],
  [/^There is no Customer Hub at this address$/, (t) => t('hubAuthServer.noHub')],
  [/^Wrong email or password$/, (t) => t('hubAuthServer.wrongCredentials')],
  [/^Too many failed sign-ins$/, (t) => t('hubAuthServer.titleThrottled')],
  [/^Too many failed sign-ins; try again later$/, (t) => t('hubAuthServer.throttled')],
  [/^Registration closed$/, (t) => t('hubAuthServer.titleRegistrationClosed')],
  [/^This Customer Hub does not take registrations$/, (t) => t('hubAuthServer.registrationClosed')],
  [
    /^This link is not valid or has expired; ask for a new one$/,
    (t) => t('hubAuthServer.invalidLink'),
  ],
  [/^Customer Hub is off$/, (t) => t('hubAuthServer.titleHubOff')],
  [
    /^Turn the Customer Hub on for the account before inviting customers$/,
    (t) => t('hubAuthServer.hubOff'),
  ],
  [/^No email address$/, (t) => t('hubAuthServer.titleNoEmail')],
  [
    /^The customer has no email address to send the invitation to$/,
    (t) => t('hubAuthServer.noEmail'),
  ],
  [/^Sign in to the Customer Hub$/, (t) => t('hubAuthServer.signInToHub')],
  [/^enter your current password$/i, (t) => t('hubAuthServer.currentPasswordRequired')],
  [/^not your current password$/i, (t) => t('hubAuthServer.notCurrentPassword')],
  [/^choose a password$/i, (t) => t('hubAuthServer.choosePassword')],
  // Tickets in the Customer Hub (server/hub/hub-ticket.service.ts, hub-ticket.routes.ts).
  [
    /^(.+) is larger than (\d+) MB, the most one attachment may be$/,
    (t, m) => t('hubTickets.server.attachmentTooLarge', { filename: m[1], mb: m[2] }),
  ],
  [
    /^at most (\d+) attachments in one message$/,
    (t, m) => t('hubTickets.server.tooManyFiles', { max: m[1] }),
  ],
  [
    /^only the customer who raised the ticket can mark it resolved$/,
    (t) => t('hubTickets.server.requesterOnly'),
  ],
  [/^the ticket is closed: raise a new ticket instead$/, (t) => t('hubTickets.server.closed')],
  [
    /^not an organization you may raise tickets for/,
    (t) => t('hubTickets.server.organizationNotGranted'),
  ],
  [/^only with view=organization$/, (t) => t('hubTickets.server.onlyWithOrganizationView')],
  // Merging organizations and undoing it (server/merge/organization-merge-texts.ts, journal.ts).
  [
    /^This organization was merged into another one already$/,
    (t) => t('orgMerge.server.alreadyMerged'),
  ],
  [
    /^This organization was merged into another one; change that one instead$/,
    (t) => t('orgMerge.server.pointerReadOnly'),
  ],
  [/^One of the two was merged just now$/, (t) => t('orgMerge.server.mergedJustNow')],
  [
    /^The organization kept was merged into another one since$/,
    (t) => t('orgMerge.server.survivorMerged'),
  ],
  [/^The organization kept was deleted since$/, (t) => t('orgMerge.server.survivorDeleted')],
  [
    /^(.+) was edited since the merge$/,
    (t, m) => t('orgMerge.server.survivorEdited', { name: m[1] }),
  ],
  [
    /^An organization named (.+) exists now$/,
    (t, m) => t('orgMerge.server.nameTaken', { name: m[1] }),
  ],
  [
    /^(\d+) of the customers it moved were erased since$/,
    (t, m) => t('orgMerge.server.erased', { count: Number(m[1]) }),
  ],
  [
    /^Since the merge, some of what it moved left (.+) or was removed: (.+)$/,
    (t, m) =>
      t('orgMerge.server.changedSince', {
        name: m[1],
        list: (m[2] ?? '')
          .split(', ')
          .map((item) => {
            const kind = /^(.+) \((\d+)\)$/.exec(item);
            return kind
              ? `${t(`orgMerge.server.kinds.${kind[1] ?? ''}`, { defaultValue: kind[1] ?? '' })} (${kind[2]})`
              : item;
          })
          .join(', '),
      }),
  ],
  [/^This merge was undone already$/, (t) => t('orgMerge.server.undone')],
  [/^The time to undo this merge has run out$/, (t) => t('orgMerge.server.expired')],
  // Customer merges (server/merge/, issue 15).
  [
    /^Customer #(\d+) was merged into another customer; change that one instead$/,
    (t, m) => t('mergeServer.merged', { number: m[1] }),
  ],
  [
    /^Customer #(\d+) is being erased and cannot be merged$/,
    (t, m) => t('mergeServer.beingErased', { number: m[1] }),
  ],
  [/^This merge was undone already$/, (t) => t('mergeServer.alreadyUndone')],
  [/^This merge could be undone until (\S+)$/, (t, m) => t('mergeServer.expired', { until: m[1] })],
  [/^One of the two customers was erased or is being erased$/, (t) => t('mergeServer.erased')],
  [
    /^Customer #(\d+) was changed since the merge(?:: ([^;]+))?(?:; no longer has (.+))?$/,
    (t, m) =>
      t('mergeServer.changedSince', { number: m[1] }) +
      (m[2] ? ` ${t('mergeServer.changedFields', { fields: m[2] })}` : '') +
      (m[3] ? ` ${t('mergeServer.identitiesGone', { identities: m[3] })}` : ''),
  ],
];

/** The sentence in `t`'s language when a rule knows it; else as the server wrote it. */
export function translateServerMessage(message: string, t: TFunction): string {
  for (const [pattern, translate] of RULES) {
    const match = message.match(pattern);
    if (match) return translate(t, match);
  }
  return message;
}
