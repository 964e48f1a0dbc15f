// /api/v1/organizations/{id}/locations and their areas: thin routes. Reading needs
// customers.view, writing Create/Edit Customers (the seed's one permission for an organization's
// structure).
import { z } from 'zod';
import {
  areaCreateSchema,
  areaSchema,
  areaUpdateSchema,
  locationCreateSchema,
  locationListQuerySchema,
  locationSchema,
  locationUpdateSchema,
} from '../../common/location.ts';
import { idParams } from '../http/common-schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { LocationService } from './location.service.ts';

const locationParams = idParams.extend({
  locationId: z.string().uuid('not a location id'),
});
const areaParams = locationParams.extend({ areaId: z.string().uuid('not an area id') });

export function locationRoutes(locations: LocationService) {
  const tags = ['Locations'];
  const base = '/api/v1/organizations/:id/locations';
  return [
    defineRoute({
      method: 'GET',
      url: base,
      summary: "An organization's locations with their areas",
      description: 'By name. `status=active` leaves out deactivated locations and areas.',
      tags,
      auth: 'customers.view',
      params: idParams,
      query: locationListQuerySchema,
      response: {
        status: 200,
        description: 'The locations',
        schema: z.object({ items: z.array(locationSchema) }),
      },
      errors: [404],
      handler: async ({ principal, params, query }) => ({
        items: await locations.list(principal, params.id, query.status === 'active'),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      summary: 'Add a location',
      tags,
      auth: 'customers.create_edit',
      params: idParams,
      body: locationCreateSchema,
      response: { status: 201, description: 'The new location', schema: locationSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) => locations.create(principal, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:locationId`,
      summary: 'A location with its areas',
      tags,
      auth: 'customers.view',
      params: locationParams,
      response: { status: 200, description: 'The location', schema: locationSchema },
      errors: [404],
      handler: ({ principal, params }) => locations.get(principal, params.id, params.locationId),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:locationId`,
      summary: 'Edit, deactivate or reactivate a location',
      description:
        'A deactivated location stays on the tickets that have it but cannot be chosen for another.',
      tags,
      auth: 'customers.create_edit',
      params: locationParams,
      body: locationUpdateSchema,
      response: { status: 200, description: 'The location', schema: locationSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) =>
        locations.update(principal, params.id, params.locationId, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:locationId/areas`,
      summary: 'Add an area to a location',
      tags,
      auth: 'customers.create_edit',
      params: locationParams,
      body: areaCreateSchema,
      response: { status: 201, description: 'The new area', schema: areaSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) =>
        locations.createArea(principal, params.id, params.locationId, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${base}/:locationId/areas/:areaId`,
      summary: 'Edit, deactivate or reactivate an area',
      tags,
      auth: 'customers.create_edit',
      params: areaParams,
      body: areaUpdateSchema,
      response: { status: 200, description: 'The area', schema: areaSchema },
      errors: [404, 409],
      handler: ({ principal, params, body }) =>
        locations.updateArea(principal, params.id, params.locationId, params.areaId, body),
    }),
  ];
}
