// Teams: a named list of agents, and the tickets they may see (access/scope.ts): 'all', or only
// those of the organizations (or one location or area of one) listed. Every change to who is in
// a team or what it serves calls scopeChanged, so a logged-in agent's next request sees it.
import type { Kysely } from 'kysely';
import type { FieldError } from '../../common/problem.ts';
import type {
  Team,
  TeamAccess,
  TeamAccessInput,
  TeamCreate,
  TeamUpdate,
} from '../../common/ticket.ts';
import type { Database } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Conn } from '../db/transaction.ts';
import { lockOrganizationUnlessMerged } from '../organizations/organization-guard.ts';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../errors.ts';
import * as access from './team-access.repository.ts';
import * as repo from './team.repository.ts';

export class TeamService {
  constructor(
    private readonly db: Kysely<Database>,
    /** Called after a change to who is in a team or what it may see (scopes are cached). */
    private readonly scopeChanged: (accountId: string) => void = () => {},
  ) {}

  async list(accountId: string, db: Conn = this.db): Promise<Team[]> {
    const [teams, members, entries, seeAll] = await Promise.all([
      repo.listTeamRows(db, accountId),
      repo.listTeamMembers(db, accountId),
      access.listTeamAccess(db, accountId),
      access.agentsWithPermission(db, accountId, 'scope.all'),
    ]);
    const places = await access.accessPlaces(db, accountId, {
      organizations: [...new Set(entries.map((e) => e.organization_id))],
      locations: entries.flatMap((e) => (e.location_id ? [e.location_id] : [])),
      areas: entries.flatMap((e) => (e.area_id ? [e.area_id] : [])),
    });
    return teams.map((t) => {
      const memberIds = members.filter((m) => m.team_id === t.id).map((m) => m.user_id);
      return {
        id: t.id,
        name: t.name,
        memberIds,
        access: t.access as TeamAccess,
        organizations: entries
          .filter((e) => e.team_id === t.id)
          .map((e) => ({
            organizationId: e.organization_id,
            organizationName: places.organizations.get(e.organization_id) ?? '',
            locationId: e.location_id,
            locationName: e.location_id
              ? (places.locations.get(e.location_id)?.name ?? null)
              : null,
            areaId: e.area_id,
            areaName: e.area_id ? (places.areas.get(e.area_id)?.name ?? null) : null,
          })),
        seeAllMemberIds: memberIds.filter((id) => seeAll.has(id)),
      };
    });
  }

  private async get(accountId: string, id: string): Promise<Team> {
    const team = (await this.list(accountId)).find((t) => t.id === id);
    if (!team) throw new NotFoundError('team', id);
    return team;
  }

  async create(accountId: string, input: TeamCreate): Promise<Team> {
    const id = newId();
    const memberIds = await this.checkMembers(accountId, input.memberIds ?? []);
    const entries = await this.checkAccess(accountId, input.organizations ?? []);
    await this.write(input.name, async (trx) => {
      const now = nowIso();
      await repo.insertTeam(
        trx,
        accountId,
        { id, name: input.name, memberIds, access: input.access ?? 'all' },
        now,
      );
      await lockServedOrganizations(trx, accountId, entries);
      await access.replaceTeamAccess(trx, accountId, id, entries, now);
    });
    this.scopeChanged(accountId);
    return this.get(accountId, id);
  }

  /** Renames a team, sets its members, its access or what it serves: one change, all at once. */
  async update(accountId: string, id: string, patch: TeamUpdate): Promise<Team> {
    const memberIds = patch.memberIds && (await this.checkMembers(accountId, patch.memberIds));
    const entries = patch.organizations && (await this.checkAccess(accountId, patch.organizations));
    await this.write(patch.name ?? '', async (trx) => {
      const found = await repo.updateTeamRow(trx, accountId, id, {
        name: patch.name,
        access: patch.access,
      });
      if (!found) throw new NotFoundError('team', id);
      if (memberIds) await repo.replaceMembers(trx, accountId, id, memberIds);
      if (entries) {
        await lockServedOrganizations(trx, accountId, entries);
        await access.replaceTeamAccess(trx, accountId, id, entries, nowIso());
      }
    });
    this.scopeChanged(accountId);
    return this.get(accountId, id);
  }

  async remove(accountId: string, id: string): Promise<void> {
    const removed = await this.db.transaction().execute(async (trx) => {
      const gone = await repo.deleteTeam(trx, accountId, id);
      if (gone) await access.replaceTeamAccess(trx, accountId, id, [], nowIso());
      return gone;
    });
    if (!removed) throw new NotFoundError('team', id);
    this.scopeChanged(accountId);
  }

  private async write(name: string, work: (trx: Conn) => Promise<void>): Promise<void> {
    try {
      await this.db.transaction().execute(work);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError('team_name_taken', `A team named ${name} exists`, {
          errors: [
            { field: 'name', code: 'already_used', message: 'already used by another team' },
          ],
        });
      }
      throw error;
    }
  }

  private async checkMembers(accountId: string, memberIds: string[]): Promise<string[]> {
    const ids = [...new Set(memberIds)];
    const known = await repo.existingAgentIds(this.db, accountId, ids);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length)
      throw new ValidationError(
        unknown.map((id) => ({
          field: 'memberIds',
          code: 'unknown_reference',
          message: `no agent ${id}`,
        })),
      );
    return ids;
  }

  /**
   * Each entry must name an organization of this account, a location of that organization and
   * an area of that location; one error per bad entry, naming it. Repeated entries count once.
   */
  private async checkAccess(accountId: string, input: TeamAccessInput[]) {
    const places = await access.accessPlaces(this.db, accountId, {
      organizations: input.map((e) => e.organizationId),
      locations: input.flatMap((e) => (e.locationId ? [e.locationId] : [])),
      areas: input.flatMap((e) => (e.areaId ? [e.areaId] : [])),
    });
    const errors: FieldError[] = [];
    const seen = new Map<string, access.AccessEntryRow>();
    for (const [index, entry] of input.entries()) {
      const at = `organizations.${index}`;
      const location = entry.locationId ? places.locations.get(entry.locationId) : undefined;
      const area = entry.areaId ? places.areas.get(entry.areaId) : undefined;
      if (!places.organizations.has(entry.organizationId))
        errors.push({
          field: `${at}.organizationId`,
          code: 'unknown_reference',
          message: 'no such organization',
        });
      else if (entry.locationId && location?.organization_id !== entry.organizationId)
        errors.push({
          field: `${at}.locationId`,
          code: 'not_of_organization',
          message: 'not a location of this organization',
        });
      else if (entry.areaId && !entry.locationId)
        errors.push({
          field: `${at}.locationId`,
          code: 'required',
          message: 'an area is served with its location: choose the location too',
        });
      else if (entry.areaId && area?.location_id !== entry.locationId)
        errors.push({
          field: `${at}.areaId`,
          code: 'not_of_location',
          message: 'not an area of the chosen location',
        });
      const row = {
        team_id: '',
        organization_id: entry.organizationId,
        location_id: entry.locationId ?? null,
        area_id: entry.areaId ?? null,
      };
      seen.set(`${row.organization_id}/${row.location_id}/${row.area_id}`, row);
    }
    if (errors.length) throw new ValidationError(errors);
    return [...seen.values()].map(({ team_id: _, ...rest }) => rest);
  }
}

/**
 * The organizations a team is to serve, held until the access is written, in id order (two
 * writers never wait on each other crosswise): one merged away is a 409 naming its survivor
 * (issue 15), as checkAccess could not tell it from a live one.
 */
async function lockServedOrganizations(
  trx: Conn,
  accountId: string,
  entries: { organization_id: string }[],
): Promise<void> {
  for (const id of [...new Set(entries.map((e) => e.organization_id))].sort())
    if (!(await lockOrganizationUnlessMerged(trx, accountId, id)))
      throw new ValidationError([
        { field: 'organizations', code: 'unknown_reference', message: `no organization ${id}` },
      ]);
}
