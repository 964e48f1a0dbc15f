// Where a ticket is, and where a customer's new tickets start: the one place that decides whether
// a ticket may carry a location and an area (of its organization; a deactivated one only if it
// has it already) and whether a customer's default location is theirs. Refusals name the field.
import { fieldError } from '../../common/field-error-codes.ts';
import type { FieldError } from '../../common/problem.ts';
import type { Conn } from '../db/transaction.ts';
import { ValidationError } from '../errors.ts';
import * as repo from './location.repository.ts';

export interface Placement {
  location_id: string | null;
  area_id: string | null;
}

/**
 * Where a ticket is: the location and area it may carry, given its organization, what was asked
 * (undefined leaves a value as it is) and what it carries now. A location or area must belong to
 * the ticket's organization (an area to the chosen location); a deactivated one stays on a ticket
 * that has it but cannot be newly chosen. Choosing only an area takes its location with it;
 * choosing another location drops an area that is not in it. Every refusal names its field (422).
 */
export async function resolvePlacement(
  db: Conn,
  accountId: string,
  organizationId: string | null,
  requested: { locationId?: string | null; areaId?: string | null },
  current: Placement = { location_id: null, area_id: null },
): Promise<Placement> {
  let locationId = requested.locationId !== undefined ? requested.locationId : current.location_id;
  let areaId = requested.areaId !== undefined ? requested.areaId : current.area_id;
  if (requested.locationId === undefined && requested.areaId === undefined) return current;
  const errors: FieldError[] = [];
  if (!organizationId) {
    if (requested.locationId)
      errors.push(
        fieldError('locationId', 'no_organization', 'the requester belongs to no organization'),
      );
    if (requested.areaId)
      errors.push(
        fieldError('areaId', 'no_organization', 'the requester belongs to no organization'),
      );
    if (errors.length) throw new ValidationError(errors);
    return { location_id: null, area_id: null };
  }
  const area = areaId ? await repo.findArea(db, accountId, organizationId, areaId) : undefined;
  if (areaId && !area) {
    errors.push(
      fieldError('areaId', 'not_of_organization', "not an area of the ticket's organization"),
    );
  }
  // Only an area was asked for: its location comes with it.
  if (area && requested.locationId === undefined && areaId !== current.area_id)
    locationId = area.location_id;
  // Another location was asked for and the area is not in it (and was not asked for): drop it.
  if (area && requested.areaId === undefined && area.location_id !== locationId) {
    areaId = null;
  }
  const location = locationId
    ? await repo.findLocation(db, accountId, organizationId, locationId)
    : undefined;
  if (locationId && !location) {
    errors.push(
      fieldError(
        'locationId',
        'not_of_organization',
        "not a location of the ticket's organization",
      ),
    );
  } else if (location && !Number(location.active) && locationId !== current.location_id) {
    errors.push(fieldError('locationId', 'deactivated', 'the location is deactivated'));
  }
  if (areaId && area) {
    if (!locationId || area.location_id !== locationId) {
      errors.push(fieldError('areaId', 'not_of_location', 'not an area of the chosen location'));
    } else if (!Number(area.active) && areaId !== current.area_id) {
      errors.push(fieldError('areaId', 'deactivated', 'the area is deactivated'));
    }
  }
  if (errors.length) throw new ValidationError(errors);
  return { location_id: locationId, area_id: areaId };
}

/**
 * A customer's default location: a location of their organization (after the change), active
 * unless it is the one they have already. Refusals name the field (422).
 */
export async function checkDefaultLocation(
  db: Conn,
  accountId: string,
  organizationId: string | null,
  locationId: string,
  current: string | null,
): Promise<void> {
  const location = organizationId
    ? await repo.findLocation(db, accountId, organizationId, locationId)
    : undefined;
  if (!location)
    throw new ValidationError([
      fieldError(
        'defaultLocationId',
        'not_of_organization',
        "not a location of the customer's organization",
      ),
    ]);
  if (!Number(location.active) && locationId !== current)
    throw new ValidationError([
      fieldError('defaultLocationId', 'deactivated', 'the location is deactivated'),
    ]);
}

/**
 * Where a new ticket starts when nothing was asked: the requester's default location, if it is
 * still an active location of their organization; else nowhere (never a refusal: the message
 * that opens the ticket must be taken in whatever became of the location).
 */
export async function defaultPlacement(
  db: Conn,
  accountId: string,
  customer: { organization_id: string | null; default_location_id: string | null },
): Promise<Placement> {
  const none = { location_id: null, area_id: null };
  if (!customer.organization_id || !customer.default_location_id) return none;
  const location = await repo.findLocation(
    db,
    accountId,
    customer.organization_id,
    customer.default_location_id,
  );
  return location && Number(location.active) ? { location_id: location.id, area_id: null } : none;
}
