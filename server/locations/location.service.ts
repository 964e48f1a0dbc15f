// The rules for locations and areas: each belongs to one organization of the account (an area to
// one location of it), names are unique there in any case, deactivating keeps the row (old
// tickets still show it) but it can no longer be newly chosen (placement.ts decides that).
import { fieldError } from '../../common/field-error-codes.ts';
import type { Kysely } from 'kysely';
import type {
  Area,
  AreaCreate,
  AreaUpdate,
  Location,
  LocationCreate,
  LocationUpdate,
} from '../../common/location.ts';
import { requireInScope } from '../access/scope.ts';
import type { Principal } from '../agents/principal.ts';
import type { AreaRow, Database, LocationRow } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.ts';
import { findOrganization } from '../organizations/organization.repository.ts';
import { lockLiveOrganization } from '../organizations/organization-guard.ts';
import * as repo from './location.repository.ts';

function nameTaken(what: 'location' | 'area', name: string) {
  return new ConflictError(`${what}_name_taken`, `A ${what} named ${name} exists here`, {
    errors: [fieldError('name', 'already_used', `already used by another ${what}`)],
  });
}

/** null for an empty text, so "" and a missing value read the same. */
function orNull(value: string | null | undefined): string | null {
  return value?.trim() ? value.trim() : null;
}

export class LocationService {
  constructor(private readonly db: Kysely<Database>) {}

  /** The organization, in the account and in the agent's scope (out of scope: the same 404). */
  private async requireOrganization(db: Conn, principal: Principal, id: string): Promise<void> {
    if (!(await findOrganization(db, principal.accountId, id)))
      throw new NotFoundError('organization', id);
    await requireInScope(db, principal.scope, principal.accountId, 'organization', id);
  }

  private async requireLocation(db: Conn, accountId: string, organizationId: string, id: string) {
    const row = await repo.findLocation(db, accountId, organizationId, id);
    if (!row) throw new NotFoundError('location', id);
    return row;
  }

  private async present(db: Conn, accountId: string, row: LocationRow): Promise<Location> {
    return repo.locationRowToLocation(
      row,
      await repo.areasOfLocations(db, accountId, [row.id], false),
    );
  }

  /** Every location with its areas; `activeOnly` for pickers of something new (a ticket). */
  async list(
    principal: Principal,
    organizationId: string,
    activeOnly: boolean,
  ): Promise<Location[]> {
    const accountId = principal.accountId;
    await this.requireOrganization(this.db, principal, organizationId);
    const rows = await repo.listLocationRows(this.db, accountId, organizationId, activeOnly);
    const areas = await repo.areasOfLocations(
      this.db,
      accountId,
      rows.map((r) => r.id),
      activeOnly,
    );
    return rows.map((row) =>
      repo.locationRowToLocation(
        row,
        areas.filter((a) => a.location_id === row.id),
      ),
    );
  }

  async get(principal: Principal, organizationId: string, id: string): Promise<Location> {
    const accountId = principal.accountId;
    await this.requireOrganization(this.db, principal, organizationId);
    return this.present(
      this.db,
      accountId,
      await this.requireLocation(this.db, accountId, organizationId, id),
    );
  }

  async create(
    principal: Principal,
    organizationId: string,
    input: LocationCreate,
  ): Promise<Location> {
    const accountId = principal.accountId;
    const now = nowIso();
    const row: LocationRow = {
      account_id: accountId,
      id: newId(),
      organization_id: organizationId,
      name: input.name,
      name_key: input.name.toLowerCase(),
      address_line1: orNull(input.addressLine1),
      address_line2: orNull(input.addressLine2),
      postal_code: orNull(input.postalCode),
      city: orNull(input.city),
      country: orNull(input.country),
      phone: orNull(input.phone),
      notes: orNull(input.notes),
      active: input.active === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        // Live and held: a location is never added to a pointer an organization merge left.
        await lockLiveOrganization(trx, accountId, organizationId);
        await requireInScope(trx, principal.scope, accountId, 'organization', organizationId);
        await repo.insertLocation(trx, row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken('location', input.name);
      throw error;
    }
    return this.present(this.db, accountId, row);
  }

  async update(
    principal: Principal,
    organizationId: string,
    id: string,
    patch: LocationUpdate,
  ): Promise<Location> {
    const accountId = principal.accountId;
    await this.requireOrganization(this.db, principal, organizationId);
    const current = await this.requireLocation(this.db, accountId, organizationId, id);
    const set: Partial<LocationRow> = { updated_at: nowIso() };
    if (patch.name !== undefined)
      Object.assign(set, { name: patch.name, name_key: patch.name.toLowerCase() });
    const columns = {
      addressLine1: 'address_line1',
      addressLine2: 'address_line2',
      postalCode: 'postal_code',
      city: 'city',
      country: 'country',
      phone: 'phone',
      notes: 'notes',
    } as const;
    for (const [field, column] of Object.entries(columns) as [
      keyof typeof columns,
      (typeof columns)[keyof typeof columns],
    ][]) {
      if (patch[field] !== undefined) set[column] = orNull(patch[field]);
    }
    if (patch.active !== undefined) set.active = patch.active ? 1 : 0;
    try {
      await repo.updateLocationRow(this.db, accountId, id, set);
    } catch (error) {
      if (isUniqueViolation(error) && patch.name) throw nameTaken('location', patch.name);
      throw error;
    }
    return this.present(this.db, accountId, { ...current, ...set });
  }

  async createArea(
    principal: Principal,
    organizationId: string,
    locationId: string,
    input: AreaCreate,
  ): Promise<Area> {
    const accountId = principal.accountId;
    await this.requireOrganization(this.db, principal, organizationId);
    await this.requireLocation(this.db, accountId, organizationId, locationId);
    const now = nowIso();
    const row: AreaRow = {
      account_id: accountId,
      id: newId(),
      organization_id: organizationId,
      location_id: locationId,
      name: input.name,
      name_key: input.name.toLowerCase(),
      description: orNull(input.description),
      active: input.active === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    try {
      await repo.insertArea(this.db, row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken('area', input.name);
      throw error;
    }
    return repo.areaRowToArea(row);
  }

  async updateArea(
    principal: Principal,
    organizationId: string,
    locationId: string,
    id: string,
    patch: AreaUpdate,
  ): Promise<Area> {
    const accountId = principal.accountId;
    await this.requireOrganization(this.db, principal, organizationId);
    await this.requireLocation(this.db, accountId, organizationId, locationId);
    const current = await repo.findArea(this.db, accountId, organizationId, id);
    if (!current || current.location_id !== locationId) throw new NotFoundError('area', id);
    const set: Partial<AreaRow> = { updated_at: nowIso() };
    if (patch.name !== undefined)
      Object.assign(set, { name: patch.name, name_key: patch.name.toLowerCase() });
    if (patch.description !== undefined) set.description = orNull(patch.description);
    if (patch.active !== undefined) set.active = patch.active ? 1 : 0;
    try {
      await repo.updateAreaRow(this.db, accountId, id, set);
    } catch (error) {
      if (isUniqueViolation(error) && patch.name) throw nameTaken('area', patch.name);
      throw error;
    }
    return repo.areaRowToArea({ ...current, ...set });
  }
}
