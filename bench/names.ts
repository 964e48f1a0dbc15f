// Name pools for bench data: Norwegian first, English and a few others, commonest first
// (data.ts weights them Zipf-like), with the diacritics real customer lists have.

function words(text: string): readonly string[] {
  return text.trim().split(/\s+/);
}

export const FIRST_NAMES = words(`
  Anne Ola Kari Jan Per Inger Lars Bjørn Marit Kjell Ingrid Knut Liv Hans Eva Arne Randi Thomas
  Hilde Martin Nina Geir Silje Øyvind Åse Morten Berit Terje Solveig Tor Ida Erik Sofie Håkon Nora
  Jørgen Emma Ståle Astrid Magnus Sigrid Henrik Tuva Jonas Thea Emil Ingeborg Sander Synnøve Even
  Gunnhild Aksel Ådne Åshild Øystein Ørjan Sølvi Pål Bård Jørn Ragnhild Marte Mari Anne-Lise
  Kristian Marius Camilla Mette Wenche Unni Bodil Aud Gro Siv Hege Trond Rune Svein Frode Steinar
  Ivar Eirik Nils Jon Espen Sindre Hedda Linn Tone Vigdis Torbjørn Sigurd Kåre Ronja Maja James
  John Mary Sarah Michael Emily David Oliver Charlotte Zoë Chloé José Renée Siobhán Seán François
  Ángel Björn Åke Jürgen Mohammed Fatima Ahmed Aisha Piotr Agnieszka Tomasz Nguyễn Linh Máret Ánde
  Biret
`);

export const LAST_NAMES = words(`
  Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen
  Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen
  Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen
  Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde Solheim
  Berge Moe Nygård Bakke Kristensen Fredriksen Holm Lien Hauge Christensen Andresen Nielsen Knudsen
  Evensen Sæther Aas Myhre Hanssen Ahmed Haugland Thomassen Sivertsen Simonsen Danielsen Berntsen
  Sandvik Rønning Arnesen Antonsen Næss Vik Haug Ellingsen Thorsen Edvardsen Birkeland Isaksen
  Gulbrandsen Ruud Aasen Strøm Myklebust Tangen Ødegård Eliassen Helland Bøe Jenssen Aune
  Mikkelsen Tveit Brekke Abrahamsen Madsen Løvås Bákken Sæbø Østby Rød Høyland Grønli Fjeld Kåsa
  Årdal Skår Smith Jones Williams Brown Taylor Davies Wilson Evans Roberts Walker O'Brien O'Connor
  McDonald Müller García Núñez Kowalski Nowak Lindqvist Öberg Wiśniewski Khan Hussain Tran Somby
  Gaup Eira
`);

export const FREE_MAIL = words(`
  gmail.com hotmail.com outlook.com online.no yahoo.com icloud.com live.no hotmail.no broadpark.no
  getmail.no protonmail.com me.com
`);

export interface Organization {
  name: string;
  domain: string;
}

const COMPANY_WORDS = words(`
  Nordlys Fjord Fjell Havbris Vestland Polar Midnattsol Bølge Skog Elv Tind Kyst Viken Trøndelag
  Lofoten Bergen Oslo Stavanger Tromsø Ålesund Drammen Bodø Hamar Molde Gjøvik Nordic Arctic
`);
const COMPANY_KINDS = words(`
  Energi Bygg Regnskap Data Transport Eiendom Helse Sjømat Consulting Advokatfirma
`);

function slug(text: string): string {
  return text.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a');
}

/** 270 companies, e.g. "Fjord Energi AS" at fjord-energi.no. */
export const ORGANIZATIONS: readonly Organization[] = COMPANY_WORDS.flatMap((word) =>
  COMPANY_KINDS.map((kind) => ({
    name: `${word} ${kind} AS`,
    domain: `${slug(word)}-${slug(kind)}.no`,
  })),
);

export const ROLES = words(
  'Daglig-leder Økonomisjef IT-ansvarlig Manager Engineer Konsulent Innkjøper',
);
export const DEPARTMENTS = words('Økonomi IT Salg Kundeservice Drift HR Support');
