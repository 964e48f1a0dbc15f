// Tests of data archives: read a zip (yauzl) into its entries, and give a customer canary
// values everywhere Kunde keeps data (fields, an attribute, a ticket's text, HTML and attachment).
import yauzl from 'yauzl';
import type { Principal } from '../agents/principal.ts';
import type { Services } from '../services.ts';

/** Every entry of a zip, by path, decompressed (checks each entry's CRC as yauzl reads it). */
export async function readZip(zip: Buffer): Promise<Map<string, Buffer>> {
  const zipfile = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zipfile.on('error', reject);
    zipfile.on('end', () => resolve());
    zipfile.on('entry', (entry: yauzl.Entry) => {
      zipfile
        .openReadStreamPromise(entry)
        .then(async (stream) => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          entries.set(entry.fileName, Buffer.concat(chunks));
          zipfile.readEntry();
        })
        .catch(reject);
    });
    zipfile.readEntry();
  });
  return entries;
}

export interface CanaryCustomer {
  customerId: string;
  ticketNumber: number;
  canary: string;
}

/** A customer whose every value carries `canary`, with a ticket, an HTML message and a file. */
export async function createCanaryCustomer(
  services: Services,
  principal: Principal,
  canary: string,
): Promise<CanaryCustomer> {
  const customer = await services.customers.create(
    principal,
    {
      firstName: `First ${canary}`,
      lastName: 'Nordmann',
      email: `${canary}@${canary}.example`,
      customAttributes: { note: `attribute ${canary}` },
    },
    'agent',
  );
  // Their default location: an office of the organization their email domain put them in.
  if (customer.organizationId) {
    const office = await services.locations.create(principal, customer.organizationId, {
      name: `Office ${canary}`,
    });
    await services.customers.update(principal, customer.id, { defaultLocationId: office.id });
    // The organization's one contract, naming them: their ticket then counts against it.
    if (principal.userId)
      await services.contracts.create(principal, customer.organizationId, {
        description: `Contract ${canary}`,
        customerContactId: customer.id,
        supportContactId: principal.userId,
        hasHourRestriction: true,
        contractHours: 10,
      });
  }
  const ticket = await services.db.kysely.transaction().execute((trx) =>
    services.tickets.openTicket(trx, principal.accountId, `Subject ${canary}`, {
      customerId: customer.id,
      authorName: `First ${canary}`,
      channel: 'email',
      text: `Message text ${canary}`,
      html: `<p>Message <b>html</b> ${canary}</p>`,
      attachments: [
        {
          filename: 'kvittering.txt',
          contentType: 'text/plain',
          content: Buffer.from(`attachment bytes ${canary}`),
        },
      ],
    }),
  );
  if (ticket.contract_id)
    await services.timeEntries.log(principal, ticket.id, { minutes: 45, workDate: '2026-11-30' });
  return { customerId: customer.id, ticketNumber: Number(ticket.number), canary };
}
