// What a person reads about an archive, in English and Norwegian Bokmål: the README.txt inside
// the zip and the email that tells the requesting agent it is ready. The language is the
// requesting agent's (kept on the export row), so the two always agree.
export type ExportLocale = 'en' | 'nb';

export function exportLocale(locale: string): ExportLocale {
  return locale === 'nb' ? 'nb' : 'en';
}

const README = {
  en: (customer: string, when: string) => `Kunde: the data we hold about ${customer}
Archive made ${when}.

What each file is
-----------------
README.txt          This file.
schema.json         A JSON Schema describing every JSON file in this archive.
customer.json       The customer: every field, each email address and mobile number they are
                    known by, their organization and customer type (by name) and their custom
                    attributes.
customers.csv       The same customer as one row of a spreadsheet (UTF-8, comma separated).
tickets.json        Every ticket the customer raised: number, subject, status, channel, dates,
                    and the folder that holds its messages.
tickets.csv         The same tickets as a spreadsheet.
tickets/<number>/   One folder per ticket:
  messages.json       each message: who wrote it, when, and its attachments;
  messages.txt        every message as plain text, oldest first;
  messages.html       every message as HTML (open it in a web browser);
  attachments/        the files attached to the messages, as they were received.
audit.json          The customer's audit trail: every change to the record, each archive
                    requested and each archive downloaded, with who did it and when.

Dates are ISO 8601 in UTC. Phone numbers are in international (E.164) form.
`,
  nb: (customer: string, when: string) => `Kunde: opplysningene vi har om ${customer}
Arkivet ble laget ${when}.

Hva filene er
-------------
README.txt          Denne filen.
schema.json         Et JSON Schema som beskriver hver JSON-fil i arkivet.
customer.json       Kunden: alle felt, alle e-postadresser og mobilnumre kunden er kjent med,
                    organisasjon og kundetype (med navn) og egendefinerte attributter.
customers.csv       Den samme kunden som én rad i et regneark (UTF-8, kommaseparert).
tickets.json        Alle sakene kunden har meldt inn: nummer, emne, status, kanal, datoer og
                    mappen med sakens meldinger.
tickets.csv         De samme sakene som regneark.
tickets/<nummer>/   Én mappe per sak:
  messages.json       hver melding: hvem som skrev den, når, og vedleggene;
  messages.txt        alle meldingene som ren tekst, eldste først;
  messages.html       alle meldingene som HTML (åpne filen i en nettleser);
  attachments/        filene som var vedlagt meldingene, slik de ble mottatt.
audit.json          Kundens logg: hver endring i kundekortet, hvert arkiv som er bestilt og
                    hvert arkiv som er lastet ned, med hvem og når.

Datoer er ISO 8601 i UTC. Telefonnumre står i internasjonal form (E.164).
`,
};

export function readmeText(locale: ExportLocale, customer: string, when: string): string {
  // CRLF: Notepad on an older Windows shows a bare LF file as one line.
  return README[locale](customer, when).replace(/\n/g, '\r\n');
}

export function readyEmail(
  locale: ExportLocale,
  customer: string,
  link: string,
  expiresAt: string,
): { subject: string; text: string } {
  const until = expiresAt.slice(0, 10);
  return locale === 'nb'
    ? {
        subject: `Arkivet med kundedata for ${customer} er klart`,
        text:
          `Hei,\n\nzip-arkivet med opplysningene om ${customer} er klart. ` +
          `Last det ned fra kundesiden i Kunde (knappen «Last ned arkiv»):\n\n${link}\n\n` +
          `Arkivet kan lastes ned til ${until}; da slettes det.\n\nHilsen Kunde\n`,
      }
    : {
        subject: `The customer data archive for ${customer} is ready`,
        text:
          `Hello,\n\nthe zip archive with the data held about ${customer} is ready. ` +
          `Download it from the customer's page in Kunde (the "Archive Download" button):\n\n${link}\n\n` +
          `The archive can be downloaded until ${until}; then it is deleted.\n\nKunde\n`,
      };
}
