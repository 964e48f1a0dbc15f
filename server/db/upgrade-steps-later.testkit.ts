// The upgrade test's rows for the releases from tickets on: a team, a routing rule, a ticket with
// a customer's message, an agent's reply and an attachment, the sent reply in the outbox, the
// inbound email that made the ticket; customers for the search index's settings and for
// imports that remember the creating row; a failed webhook email with its states; an entry in
// the one audit vocabulary; an expired export; a Deleted Customers row.
import { createHash } from 'node:crypto';
import { newId } from './ids.ts';
import { at, audit, customer, json, type Step } from './upgrade.testkit.ts';

export const LATER_STEPS: Record<string, Step> = {
  '20261125T0200_tickets': async (k, f) => {
    await k
      .insertInto('teams')
      .values({
        account_id: f.account,
        id: f.team,
        name: 'Kundeservice',
        name_key: 'kundeservice',
        created_at: at(26),
      })
      .execute();
    await k
      .insertInto('team_members')
      .values({ account_id: f.account, team_id: f.team, user_id: f.admin })
      .execute();
    await k
      .insertInto('routing_rules')
      .values({
        account_id: f.account,
        id: newId(),
        organization_id: f.firma,
        assignee_id: null,
        team_id: f.team,
        position: 0,
        created_at: at(26),
      })
      .execute();
    await k
      .insertInto('tickets')
      .values({
        account_id: f.account,
        id: f.ticket,
        number: 1,
        subject: 'Spørsmål om fakturaen',
        status: 'open',
        channel: 'email',
        requester_id: f.kari,
        organization_id: null,
        assignee_id: f.admin,
        team_id: null,
        message_count: 2,
        last_message_at: at(26, 11),
        created_at: at(26, 10),
        updated_at: at(26, 11),
      })
      .execute();
    await k
      .insertInto('counters')
      .values({ account_id: f.account, name: 'ticket', value: 1 })
      .execute();
    const message = (id: string, extra: Record<string, unknown>) =>
      k
        .insertInto('ticket_messages')
        .values({
          account_id: f.account,
          id,
          ticket_id: f.ticket,
          customer_id: null,
          user_id: null,
          channel: 'email',
          body_html: null,
          email_message_id: null,
          ...extra,
        })
        .execute();
    await message(f.customerMessage, {
      author_type: 'customer',
      customer_id: f.kari,
      author_name: 'Kari Gammel',
      body_text: 'Hei! Fakturaen for november er feil.',
      email_message_id: '<faktura-1@gammel.no>',
      created_at: at(26, 10),
    });
    await message(f.agentMessage, {
      author_type: 'agent',
      user_id: f.admin,
      author_name: 'Gunn Gammel',
      body_text: 'Takk, vi ser på det.',
      email_message_id: '<svar-1@kunde.example>',
      created_at: at(26, 11),
    });
    await k
      .insertInto('ticket_attachments')
      .values({
        account_id: f.account,
        id: f.attachment,
        ticket_id: f.ticket,
        message_id: f.customerMessage,
        filename: 'faktura.pdf',
        content_type: 'application/pdf',
        size_bytes: 2048,
        file_key: `attachments/${f.attachment}`,
        created_at: at(26, 10),
      })
      .execute();
    await k
      .insertInto('outbox')
      .values({
        account_id: f.account,
        id: newId(),
        ticket_id: f.ticket,
        to_address: 'kari@gammel.no',
        from_address: 'support@gammel-drift.no',
        subject: 'Re: Spørsmål om fakturaen [#1]',
        body_text: 'Takk, vi ser på det.',
        message_id: '<svar-1@kunde.example>',
        in_reply_to: '<faktura-1@gammel.no>',
        references: '<faktura-1@gammel.no>',
        status: 'sent',
        attempts: 1,
        last_error: null,
        created_at: at(26, 11),
        sent_at: at(26, 11),
      })
      .execute();
    await k
      .insertInto('inbound_emails')
      .values({
        account_id: f.account,
        id: f.processedMail,
        file_key: `raw/${f.processedMail}.eml`,
        mail_from: 'kari@gammel.no',
        rcpt_to: 'support@gammel-drift.no',
        status: 'processed',
        outcome: 'ticket_created',
        ticket_id: f.ticket,
        received_at: at(26, 10),
      })
      .execute();
    await k
      .insertInto('inbound_addresses')
      .values({ address: 'support@gammel-drift.no', account_id: f.account })
      .execute();
  },
  '20261125T0300_fts_merge': async (k, f) => {
    await customer(k, {
      account: f.account,
      id: f.ase,
      number: 4,
      first: 'Åse',
      last: 'Øvrebø',
      email: 'ase@fjellet.no',
      phone: '+4790000004',
      day: 26,
    });
  },
  '20261125T0400_created_by_import': async (k, f) => {
    await customer(k, {
      account: f.account,
      id: f.importedLate,
      number: 5,
      first: 'Ingrid',
      last: 'Import',
      email: 'ingrid@import.no',
      via: 'import',
      day: 27,
      extra: {
        import_id: f.customImport,
        import_row: 3,
        created_import_id: f.customImport,
        created_import_row: 3,
      },
    });
  },
  '20261201T1200_inbound_states': async (k, f) => {
    await k
      .insertInto('inbound_emails')
      .values({
        account_id: f.account,
        id: f.failedMail,
        file_key: `raw/${f.failedMail}.eml`,
        mail_from: 'noen@et-sted.no',
        rcpt_to: 'support@gammel-drift.no',
        status: 'failed',
        outcome: null,
        ticket_id: null,
        received_at: at(30, 8),
        source: 'webhook',
        attempts: 3,
        last_error: 'The message could not be read',
        header_from: 'Noen <noen@et-sted.no>',
        subject: 'Hjelp',
        updated_at: at(30, 9),
        retry_at: null,
      })
      .execute();
  },
  '20261201T1300_audit_references': async (k, f) => {
    await audit(k, f, f.importedLate, 'updated', { typeId: { from: null, to: f.vip } }, 30, {
      ref_names: json({ [f.vip]: 'VIP' }),
    });
  },
  '20261201T1400_customer_exports': async (k, f) => {
    await k
      .insertInto('customer_exports')
      .values({
        account_id: f.account,
        id: f.export,
        customer_id: f.kari,
        requested_by: f.admin,
        requested_by_name: 'Gunn Gammel',
        locale: 'nb',
        state: 'expired',
        file_key: null,
        size: 4096,
        error: null,
        created_at: at(30, 10),
        ready_at: at(30, 10),
        expires_at: at(30, 11),
      })
      .execute();
  },
  '20261201T1500_erasure': async (k, f) => {
    await k
      .insertInto('deleted_customers')
      .values({
        account_id: f.account,
        id: newId(),
        customer_number: 99,
        email_redacted: 'b***e@g***l.no',
        phone_redacted: '***123',
        reason: 'agent_request',
        deleted_by_type: 'user',
        deleted_by_id: f.admin,
        deleted_by_name: 'Gunn Gammel',
        requested_at: at(30, 12),
        deleted_at: at(30, 12),
      })
      .execute();
  },
  '20261202T0900_fts_secure_delete_scoped': async (k, f) => {
    await customer(k, {
      account: f.account,
      id: f.late,
      number: 6,
      first: 'Siri',
      last: 'Sist',
      email: 'siri@sist.no',
      day: 30,
    });
  },
  '20261202T1000_locations': async (k, f) => {
    const location = newId();
    await k
      .insertInto('organization_locations')
      .values({
        account_id: f.account,
        id: location,
        organization_id: f.firma,
        name: 'Hovedkontor',
        name_key: 'hovedkontor',
        address_line1: 'Storgata 1',
        address_line2: null,
        postal_code: '0155',
        city: 'Oslo',
        country: 'NO',
        phone: null,
        notes: null,
        active: 1,
        created_at: at(30, 13),
        updated_at: at(30, 13),
      })
      .execute();
    await k
      .insertInto('organization_areas')
      .values({
        account_id: f.account,
        id: newId(),
        organization_id: f.firma,
        location_id: location,
        name: '3. etasje',
        name_key: '3. etasje',
        description: null,
        active: 1,
        created_at: at(30, 13),
        updated_at: at(30, 13),
      })
      .execute();
  },
  '20261202T1100_contracts': async (k, f) => {
    const contract = newId();
    const entry = newId();
    await k
      .insertInto('contracts')
      .values({
        account_id: f.account,
        id: contract,
        organization_id: f.firma,
        description: 'Support 2027',
        purchase_order: 'PO-1',
        customer_contact_id: f.kari,
        support_contact_id: f.admin,
        support_manager_id: null,
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        has_hour_restriction: 1,
        budget_minutes: 600,
        threshold_minutes: 480,
        used_minutes: 90,
        threshold_notified: 0,
        created_at: at(30, 14),
        updated_at: at(30, 14),
      })
      .execute();
    await k
      .updateTable('tickets')
      .set({ contract_id: contract })
      .where('account_id', '=', f.account)
      .where('id', '=', f.ticket)
      .execute();
    await k
      .insertInto('time_entries')
      .values({
        account_id: f.account,
        id: entry,
        ticket_id: f.ticket,
        contract_id: contract,
        user_id: f.admin,
        minutes: 90,
        work_date: '2026-11-30',
        note: 'Oppsett',
        over_limit_confirmed: 0,
        created_by: f.admin,
        created_at: at(30, 14),
        updated_at: at(30, 14),
      })
      .execute();
    await k
      .insertInto('time_entry_audit')
      .values({
        account_id: f.account,
        id: newId(),
        time_entry_id: entry,
        ticket_id: f.ticket,
        action: 'created',
        actor_type: 'user',
        actor_id: f.admin,
        changes: json({ minutes: { from: null, to: 90 } }),
        created_at: at(30, 14),
      })
      .execute();
    const group = newId();
    await k
      .insertInto('notification_groups')
      .values({
        account_id: f.account,
        id: group,
        organization_id: f.firma,
        name: 'Ledelsen',
        name_key: 'ledelsen',
        description: null,
        events: json(['ticket_created']),
        created_at: at(30, 14),
        updated_at: at(30, 14),
      })
      .execute();
    await k
      .insertInto('notification_group_members')
      .values({
        account_id: f.account,
        id: newId(),
        group_id: group,
        kind: 'email',
        customer_id: null,
        user_id: null,
        email: 'leder@firma.no',
        member_key: 'email:leder@firma.no',
        created_at: at(30, 14),
      })
      .execute();
  },
  '20261203T0000_team_access': async (k, f) => {
    // A team narrowed to one organization, beside the old team that keeps 'all'.
    const team = newId();
    await k
      .insertInto('teams')
      .values({
        account_id: f.account,
        id: team,
        name: 'Firma-teamet',
        name_key: 'firma-teamet',
        access: 'organizations',
        created_at: at(30, 15),
      })
      .execute();
    await k
      .insertInto('team_access')
      .values({
        account_id: f.account,
        id: newId(),
        team_id: team,
        organization_id: f.firma,
        location_id: null,
        area_id: null,
        created_at: at(30, 15),
      })
      .execute();
  },
  // Issue 13: an invited agent (no password yet) with an unused invitation link, and the
  // administrator's used reset link.
  '20261203T0100_password_tokens': async (k, f) => {
    const invited = newId();
    await k
      .insertInto('users')
      .values({
        account_id: f.account,
        id: invited,
        email: 'ine@gammel.no',
        name: 'Ine Invitert',
        password_hash: null,
        role_id: f.role,
        locale: 'nb',
        status: 'active',
        created_at: at(30, 15),
        updated_at: at(30, 15),
      })
      .execute();
    await k
      .insertInto('login_directory')
      .values({ email: 'ine@gammel.no', account_id: f.account, user_id: invited })
      .execute();
    for (const [user, purpose, used] of [
      [invited, 'invite', null],
      [f.admin, 'reset', at(30, 16)],
    ] as const) {
      await k
        .insertInto('password_tokens')
        .values({
          account_id: f.account,
          id: newId(),
          user_id: user,
          token_hash: newId().replaceAll('-', ''),
          purpose,
          created_at: at(30, 15),
          expires_at: at(30, 23),
          used_at: used,
        })
        .execute();
    }
  },
  '20261203T0400_files': async (k, f) => {
    // A file a PostgreSQL node at this release kept in the database: one row and its two chunks.
    const version = newId();
    const content = Buffer.from('Subject: lagret i databasen\r\n\r\nHei\r\n');
    await k
      .insertInto('files')
      .values({
        account_id: f.account,
        key: `inbound/${f.account}/upgrade-stored.eml`,
        version,
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        chunk_size: 16,
        created_at: at(30, 16),
      })
      .execute();
    for (let seq = 0; seq * 16 < content.length; seq++)
      await k
        .insertInto('file_chunks')
        .values({
          account_id: f.account,
          version,
          seq,
          data: content.subarray(seq * 16, seq * 16 + 16),
        })
        .execute();
  },
  // Issue 14: Kari uses the Customer Hub (a password, a session, a used sign-in link) and may see
  // Firma's tickets; an agent's internal note the Hub never shows.
  '20261204T0000_customer_hub': async (k, f) => {
    await k.insertInto('hub_addresses').values({ slug: 'gammel', account_id: f.account }).execute();
    await k
      .insertInto('hub_logins')
      .values({
        account_id: f.account,
        customer_id: f.kari,
        password_hash: 'scrypt$upgrade$not-a-real-hash',
        locale: 'nb',
        created_at: at(30, 17),
        updated_at: at(30, 17),
        last_sign_in_at: at(30, 17),
      })
      .execute();
    await k
      .insertInto('hub_sessions')
      .values({
        account_id: f.account,
        id_hash: newId().replaceAll('-', ''),
        customer_id: f.kari,
        created_at: at(30, 17),
        expires_at: at(31, 17),
      })
      .execute();
    await k
      .insertInto('hub_tokens')
      .values({
        account_id: f.account,
        token_hash: newId().replaceAll('-', ''),
        purpose: 'sign_in',
        customer_id: f.kari,
        email: 'kari@gammel.no',
        name: null,
        created_at: at(30, 17),
        expires_at: at(30, 18),
        used_at: at(30, 17),
      })
      .execute();
    await k
      .insertInto('hub_organization_grants')
      .values({
        account_id: f.account,
        customer_id: f.kari,
        organization_id: f.firma,
        created_at: at(30, 17),
        created_by: f.admin,
      })
      .execute();
    await k
      .insertInto('ticket_messages')
      .values({
        account_id: f.account,
        id: newId(),
        ticket_id: f.ticket,
        author_type: 'agent',
        customer_id: null,
        user_id: f.admin,
        author_name: 'Admin',
        channel: 'agent',
        body_text: 'Intern merknad: ring kunden i morgen.',
        body_html: null,
        email_message_id: null,
        created_at: at(30, 17),
        internal: 1,
        hub_seen_at: null,
      })
      .execute();
  },
  // Issue 15: an administrator's webhook endpoint with one delivered event, and a suggested pair
  // (Kari and Per) an agent dismissed: later releases must carry both. No merge yet: a merge's
  // journal is written by today's code only, and its own tests cover undo.
  '20261205T0000_merge_webhooks': async (k, f) => {
    const endpoint = newId();
    await k
      .insertInto('webhook_endpoints')
      .values({
        account_id: f.account,
        id: endpoint,
        url: 'https://crm.gammel.no/kunde-hook',
        description: 'CRM',
        events: json(['customer.created', 'customer.updated']),
        secret: 'whsec_upgrade_not_a_real_secret',
        active: 1,
        created_at: at(30, 18),
        updated_at: at(30, 18),
      })
      .execute();
    await k
      .insertInto('webhook_deliveries')
      .values({
        account_id: f.account,
        id: newId(),
        endpoint_id: endpoint,
        event_id: newId(),
        event_type: 'customer.updated',
        customer_id: f.kari,
        payload: json({ type: 'customer.updated', data: { customerId: f.kari } }),
        status: 'delivered',
        attempts: 1,
        next_attempt_at: null,
        response_status: 200,
        last_error: null,
        duration_ms: 41,
        created_at: at(30, 18),
        updated_at: at(30, 18),
        delivered_at: at(30, 18),
      })
      .execute();
    const [a, b] = [f.kari, f.per].sort();
    await k
      .insertInto('duplicate_suggestions')
      .values({
        account_id: f.account,
        id: newId(),
        customer_a: a,
        customer_b: b,
        reasons: json([{ code: 'same_name_same_organization', detail: {} }]),
        created_at: at(30, 18),
        updated_at: at(30, 18),
        dismissed_at: at(30, 19),
        dismissed_by: f.admin,
      })
      .execute();
  },
  '20261205T0200_duplicate_keys': async (k, f) => {
    // Kari's name in her organization and a number she wrote down: what upkeep keeps.
    await k
      .insertInto('customer_match_keys')
      .values([
        {
          account_id: f.account,
          kind: 'name',
          key: `${f.firma} kari nordmann`,
          customer_id: f.kari,
          detail: json({ name: 'Kari Nordmann' }),
        },
        {
          account_id: f.account,
          kind: 'phone',
          key: '+4798765432',
          customer_id: f.kari,
          detail: json({ field: 'mobil', written: '987 65 432' }),
        },
      ])
      .execute();
  },
  // Issue 18: the shared login throttle. Its rows live for one window (minutes), so a release
  // holds next to none worth carrying; the step leaves it empty on purpose.
  '20261205T0300_login_throttle': async () => {},
  // Issue 16: indexes for sorting the customer list; the customers already there are what they
  // index, so the step adds no rows.
  '20261206T0100_customer_sorts': async () => {},
  // Issue 16 point 3: a reply held for want of SMTP_URL, with its reason, and an earlier one an
  // administrator discarded from the Outbox, with who did it.
  '20261206T0300_outbox_delivery': async (k, f) => {
    const discarded = newId();
    const mail = (id: string, status: string, hold: string | null) => ({
      account_id: f.account,
      id,
      ticket_id: f.ticket,
      to_address: 'kari@gammel.no',
      from_address: 'support@gammel-drift.no',
      subject: 'Re: Spørsmål om fakturaen [#1]',
      body_text: status === 'held' ? 'Vi ringer deg i morgen.' : 'Feil svar, ikke send.',
      message_id: `<${id}@kunde.example>`,
      in_reply_to: '<faktura-1@gammel.no>',
      references: '<faktura-1@gammel.no>',
      status,
      attempts: 0,
      last_error: null,
      created_at: at(31, 9),
      sent_at: null,
      hold_reason: hold,
    });
    await k
      .insertInto('outbox')
      .values([mail(newId(), 'held', 'smtp_not_configured'), mail(discarded, 'discarded', null)])
      .execute();
    await k
      .insertInto('outbox_actions')
      .values({
        account_id: f.account,
        id: newId(),
        outbox_id: discarded,
        action: 'discarded',
        user_id: f.admin,
        user_name: 'Kari Admin',
        created_at: at(31, 10),
      })
      .execute();
  },
  // Issue 15 point 4: the migration itself records the backfill (and queues its job) of each
  // account whose customers predate upkeep; a release at it holds nothing else new.
  '20261206T0400_duplicate_backfill': async () => {},
  // Issue 16 point 2: import errors keep their reason's code and params. The first release's
  // error row (a refused email, no code) goes through the migration and is reported as written;
  // rows written since carry codes, which the import tests cover, so the step adds none.
  '20261206T0400_import_error_codes': async () => {},
  // Identities and match keys compare bytewise on PostgreSQL: the rows already there (Kari's
  // addresses and keys) are what it re-collates, so the step adds none.
  '20261207T0100_identity_bytewise': async () => {},
};
