// Festa's seeded catalogue (samples/Festa/Catalogue/EventCatalogue.cs), generated the same way: event n is the
// same on every node and in every run.
export const EVENT_COUNT = 240;

const KINDS = [
  'Jazz Night', 'Indie Rock Live', 'Techno Warehouse', 'Folk Evening', 'Opera Gala', 'Street Food Fair',
  'Film Festival', 'Comedy Club', 'Poetry Slam', 'Chamber Music', 'Design Market', 'Dance Marathon',
  'Blues Session', 'Open-Air Cinema', 'Flamenco Show', 'Baroque Concert', 'Craft Beer Festival', 'Puppet Theatre',
  'Vinyl Fair', 'Choir Concert', 'Contemporary Ballet', 'Silent Disco', 'Photography Walk', 'Wine Tasting',
];

const CITIES = [
  'Lisbon', 'Berlin', 'Kraków', 'Porto', 'Lyon', 'Turin', 'Ghent',
  'Tallinn', 'Bologna', 'Seville', 'Ljubljana', 'Utrecht', 'Gothenburg', 'Valencia',
];

const FIRST_DATE = Date.UTC(2026, 5, 1);
const DAY = 24 * 60 * 60 * 1000;

function create(id) {
  const kind = (id - 1) % KINDS.length;
  const round = Math.floor((id - 1) / KINDS.length);
  const city = (kind + round * 3) % CITIES.length;
  const date = new Date(FIRST_DATE + ((id * 151) % 365) * DAY).toISOString().slice(0, 10);
  return { id, title: KINDS[kind], city: CITIES[city], date };
}

export const EVENTS = Array.from({ length: EVENT_COUNT }, (_, i) => create(i + 1));

/** The event whose id is exactly `text` (digits only, 1 to 240), or undefined. */
export function findEvent(text) {
  if (typeof text !== 'string' || !/^[0-9]+$/.test(text)) {
    return undefined;
  }

  const id = Number.parseInt(text, 10);
  return id >= 1 && id <= EVENT_COUNT ? EVENTS[id - 1] : undefined;
}
