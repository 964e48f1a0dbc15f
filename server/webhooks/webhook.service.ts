// Webhook endpoints and their delivery log, for administrators (settings.manage): register,
// change, deactivate, delete, rotate the secret (answered once, then never again: no later
// response or log line carries it), a test event sent at once, and a failed delivery retried.
// Events themselves are recorded by webhook-events.ts in the transaction of each change.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Kysely } from 'kysely';
import { fieldError } from '../../common/field-error-codes.ts';
import type { Page } from '../../common/paging.ts';
import {
  MAX_WEBHOOK_ENDPOINTS,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointCreate,
  type WebhookEndpointUpdate,
  type WebhookPayload,
} from '../../common/webhook.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../paging.ts';
import { attemptDelivery, type DeliveryOptions } from './webhook-delivery.ts';
import { deliveryRow } from './webhook-events.ts';
import { isPrivateAddress } from './webhook-send.ts';
import * as repo from './webhook.repository.ts';

export type WebhookEndpointWithSecret = WebhookEndpoint & { secret: string };

export function endpointRowToEndpoint(row: repo.EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as WebhookEndpoint['events'],
    active: Number(row.active) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function deliveryRowToDelivery(row: repo.DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status as WebhookDelivery['status'],
    attempts: Number(row.attempts),
    responseStatus: row.response_status === null ? null : Number(row.response_status),
    error: row.last_error,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
  };
}

/** 32 random bytes; the prefix tells a reader of a config file what the value is. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export class WebhookService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly delivery: DeliveryOptions,
  ) {}

  async list(accountId: string): Promise<WebhookEndpoint[]> {
    return (await repo.listEndpointRows(this.db, accountId)).map(endpointRowToEndpoint);
  }

  async get(accountId: string, id: string): Promise<WebhookEndpoint> {
    return endpointRowToEndpoint(await this.endpointRow(accountId, id));
  }

  async create(
    accountId: string,
    input: WebhookEndpointCreate,
  ): Promise<WebhookEndpointWithSecret> {
    this.checkUrl(input.url);
    return this.db.transaction().execute(async (trx) => {
      if ((await repo.countEndpoints(trx, accountId)) >= MAX_WEBHOOK_ENDPOINTS)
        throw new ConflictError(
          'webhook_limit',
          `An account has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first`,
        );
      const now = nowIso();
      const row = {
        account_id: accountId,
        id: newId(),
        url: input.url,
        description: input.description || null,
        events: JSON.stringify([...new Set(input.events)]),
        secret: newSecret(),
        active: input.active === false ? 0 : 1,
        created_at: now,
        updated_at: now,
      };
      await repo.insertEndpoint(trx, row);
      return { ...endpointRowToEndpoint(row), secret: row.secret };
    });
  }

  async update(
    accountId: string,
    id: string,
    patch: WebhookEndpointUpdate,
  ): Promise<WebhookEndpoint | WebhookEndpointWithSecret> {
    if (patch.url !== undefined) this.checkUrl(patch.url);
    await this.endpointRow(accountId, id);
    const secret = patch.rotateSecret ? newSecret() : undefined;
    await repo.updateEndpoint(this.db, accountId, id, {
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.description !== undefined ? { description: patch.description || null } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify([...new Set(patch.events)]) } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      ...(secret ? { secret } : {}),
      updated_at: nowIso(),
    });
    const endpoint = await this.get(accountId, id);
    return secret ? { ...endpoint, secret } : endpoint;
  }

  async remove(accountId: string, id: string): Promise<void> {
    if (!(await repo.deleteEndpoint(this.db, accountId, id)))
      throw new NotFoundError('webhook', id);
  }

  async deliveries(
    accountId: string,
    endpointId: string,
    query: { limit: number; cursor?: string },
  ): Promise<Page<WebhookDelivery>> {
    await this.endpointRow(accountId, endpointId);
    const before = query.cursor
      ? decodeCursor(
          query.cursor,
          (v): v is { c: string; i: string } => typeof v.c === 'string' && typeof v.i === 'string',
        )
      : undefined;
    const rows = await repo.listDeliveryRows(this.db, accountId, endpointId, {
      before,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(deliveryRowToDelivery),
      total: await repo.countDeliveries(this.db, accountId, endpointId),
      ...(rows.length > query.limit && last
        ? { nextCursor: encodeCursor({ c: last.created_at, i: last.id }) }
        : {}),
    };
  }

  /** A `ping` event to this endpoint, sent now; answers with its delivery as it went. */
  async sendTest(accountId: string, endpointId: string): Promise<WebhookDelivery> {
    const endpoint = await this.endpointRow(accountId, endpointId);
    if (Number(endpoint.active) !== 1)
      throw new ConflictError('webhook_inactive', 'The endpoint is deactivated; activate it first');
    const now = nowIso();
    const eventId = newId();
    const payload: WebhookPayload = {
      id: eventId,
      type: 'ping',
      createdAt: now,
      accountId,
      data: { endpointId },
    };
    const row = deliveryRow(
      accountId,
      endpointId,
      eventId,
      'ping',
      null,
      JSON.stringify(payload),
      now,
    );
    await repo.insertDeliveries(this.db, [row]);
    return this.sendNow(accountId, row.id);
  }

  /** A failed delivery once more, now; answers with it as it went (failed again or delivered). */
  async retry(accountId: string, deliveryId: string): Promise<WebhookDelivery> {
    const row = await repo.findDeliveryRow(this.db, accountId, deliveryId);
    if (!row) throw new NotFoundError('webhook_delivery', deliveryId);
    if (row.status !== 'failed')
      throw new ConflictError(
        'webhook_delivery_not_failed',
        'Only a failed delivery can be retried; this one is still being sent or was delivered',
      );
    return this.sendNow(accountId, deliveryId);
  }

  private async sendNow(accountId: string, deliveryId: string): Promise<WebhookDelivery> {
    const row = await repo.findDeliveryRow(this.db, accountId, deliveryId);
    if (!row) throw new NotFoundError('webhook_delivery', deliveryId);
    await attemptDelivery(this.db, row, this.delivery, { final: true });
    const after = await repo.findDeliveryRow(this.db, accountId, deliveryId);
    if (!after) throw new NotFoundError('webhook_delivery', deliveryId);
    return deliveryRowToDelivery(after);
  }

  private async endpointRow(accountId: string, id: string): Promise<repo.EndpointRow> {
    const row = await repo.findEndpointRow(this.db, accountId, id);
    if (!row) throw new NotFoundError('webhook', id);
    return row;
  }

  /**
   * A private address written as such (an IP or localhost) is refused when registered, so the
   * administrator hears why at once; names resolving to one are refused when sent (webhook-send).
   */
  private checkUrl(url: string): void {
    if (this.delivery.allowPrivateAddresses) return;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const local = host === 'localhost' || host.endsWith('.localhost');
    if (local || (isIP(host) && isPrivateAddress(host)))
      throw new ValidationError([
        fieldError(
          'url',
          'private_address',
          'a private or local address; webhooks go to public addresses',
        ),
      ]);
  }
}
