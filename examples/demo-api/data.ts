/**
 * The demo API's fixed data: restaurants with their evening seatings,
 * cities with a climate to derive forecasts from, and a small CRM. Written
 * out by hand rather than generated, so every answer is the same on every
 * machine and a reader can predict it from this file.
 */

/** A restaurant and, per seating time, the largest party a free table still takes (0: fully booked). */
export interface Restaurant {
  readonly id: string;
  readonly name: string;
  readonly cuisine: string;
  readonly city: string;
  readonly address: string;
  readonly price_range: '€' | '€€' | '€€€';
  readonly rating: number;
  readonly phone: string;
  /** the largest party the restaurant takes at all */
  readonly max_party: number;
  readonly seatings: Readonly<Record<string, number>>;
}

/** Restaurants by id. */
export const restaurants: readonly Restaurant[] = [
  {
    id: 'trattoria-roma',
    name: 'Trattoria Roma',
    cuisine: 'italian',
    city: 'Berlin',
    address: 'Kastanienallee 12, 10435 Berlin',
    price_range: '€€',
    rating: 4.6,
    phone: '+49 30 5550 1201',
    max_party: 10,
    seatings: {
      '17:30': 8,
      '18:00': 8,
      '18:30': 6,
      '19:00': 6,
      '19:30': 2,
      '20:00': 4,
      '20:30': 8,
      '21:00': 10,
      '21:30': 4,
    },
  },
  {
    id: 'sakura-sushi',
    name: 'Sakura Sushi Bar',
    cuisine: 'japanese',
    city: 'Berlin',
    address: 'Oranienstraße 88, 10969 Berlin',
    price_range: '€€€',
    rating: 4.8,
    phone: '+49 30 5550 8870',
    max_party: 6,
    seatings: { '18:00': 4, '18:30': 2, '19:00': 0, '19:30': 0, '20:00': 2, '20:30': 6, '21:00': 4 },
  },
  {
    id: 'le-petit-bistro',
    name: 'Le Petit Bistro',
    cuisine: 'french',
    city: 'Hamburg',
    address: 'Lange Reihe 40, 20099 Hamburg',
    price_range: '€€€',
    rating: 4.4,
    phone: '+49 40 5550 4040',
    max_party: 8,
    seatings: { '18:00': 2, '18:30': 4, '19:00': 4, '19:30': 8, '20:00': 6, '20:30': 2, '21:00': 0 },
  },
  {
    id: 'green-garden',
    name: 'Green Garden',
    cuisine: 'vegan',
    city: 'Hamburg',
    address: 'Schanzenstraße 7, 20357 Hamburg',
    price_range: '€',
    rating: 4.2,
    phone: '+49 40 5550 0707',
    max_party: 12,
    seatings: {
      '17:00': 12,
      '17:30': 12,
      '18:00': 10,
      '18:30': 8,
      '19:00': 8,
      '19:30': 6,
      '20:00': 6,
      '20:30': 12,
      '21:00': 12,
    },
  },
  {
    id: 'golden-curry',
    name: 'The Golden Curry',
    cuisine: 'indian',
    city: 'Munich',
    address: 'Sendlinger Straße 21, 80331 München',
    price_range: '€€',
    rating: 4.5,
    phone: '+49 89 5550 2121',
    max_party: 8,
    seatings: { '17:30': 0, '18:00': 0, '18:30': 0, '19:00': 0, '19:30': 0, '20:00': 0, '20:30': 0, '21:00': 0 },
  },
];

/** A city and the climate its forecasts are derived from (°C). */
export interface City {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  /** typical daily minimum and maximum */
  readonly low: number;
  readonly high: number;
  /** 0..1: how often it rains */
  readonly wetness: number;
}

/** Cities the forecast knows; three Springfields make a name ambiguous on purpose. */
export const cities: readonly City[] = [
  {
    id: 'berlin-de',
    name: 'Berlin',
    region: 'Berlin',
    country: 'DE',
    lat: 52.52,
    lon: 13.405,
    low: 9,
    high: 18,
    wetness: 0.4,
  },
  {
    id: 'hamburg-de',
    name: 'Hamburg',
    region: 'Hamburg',
    country: 'DE',
    lat: 53.551,
    lon: 9.993,
    low: 8,
    high: 16,
    wetness: 0.6,
  },
  {
    id: 'munich-de',
    name: 'Munich',
    region: 'Bavaria',
    country: 'DE',
    lat: 48.137,
    lon: 11.575,
    low: 7,
    high: 19,
    wetness: 0.45,
  },
  {
    id: 'lisbon-pt',
    name: 'Lisbon',
    region: 'Lisboa',
    country: 'PT',
    lat: 38.722,
    lon: -9.139,
    low: 14,
    high: 24,
    wetness: 0.15,
  },
  {
    id: 'springfield-il-us',
    name: 'Springfield',
    region: 'Illinois',
    country: 'US',
    lat: 39.781,
    lon: -89.65,
    low: 10,
    high: 22,
    wetness: 0.35,
  },
  {
    id: 'springfield-ma-us',
    name: 'Springfield',
    region: 'Massachusetts',
    country: 'US',
    lat: 42.101,
    lon: -72.59,
    low: 8,
    high: 19,
    wetness: 0.4,
  },
  {
    id: 'springfield-mo-us',
    name: 'Springfield',
    region: 'Missouri',
    country: 'US',
    lat: 37.209,
    lon: -93.292,
    low: 11,
    high: 23,
    wetness: 0.3,
  },
];

/** A CRM customer. Ids are strings with leading zeros, which must survive every hop. */
export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly tier: 'standard' | 'gold';
  readonly since: string;
}

/** An order of a customer. */
export interface Order {
  readonly id: string;
  readonly customer_id: string;
  readonly number: string;
  readonly status: 'processing' | 'shipped' | 'delivered' | 'cancelled';
  readonly placed_at: string;
  readonly total: number;
  readonly currency: 'EUR';
  readonly items: readonly { readonly sku: string; readonly name: string; readonly quantity: number }[];
}

/** A support ticket of a customer. */
export interface Ticket {
  readonly id: string;
  readonly customer_id: string;
  readonly subject: string;
  readonly status: 'open' | 'pending' | 'closed';
  readonly priority: 'low' | 'normal' | 'high';
  readonly opened_at: string;
}

/** CRM customers. */
export const customers: readonly Customer[] = [
  { id: '000417', name: 'Ada Lovelace', email: 'ada@example.com', tier: 'gold', since: '2019-03-14' },
  { id: '000982', name: 'Grace Hopper', email: 'grace@example.com', tier: 'standard', since: '2021-11-02' },
  { id: '001203', name: 'Alan Turing', email: 'alan@example.org', tier: 'standard', since: '2024-06-23' },
];

/** CRM orders, newest first per customer. */
export const orders: readonly Order[] = [
  {
    id: 'ord_7f3a',
    customer_id: '000417',
    number: 'SO-2025-10234',
    status: 'shipped',
    placed_at: '2025-05-28T10:12:00Z',
    total: 129.9,
    currency: 'EUR',
    items: [
      { sku: 'KB-201', name: 'Mechanical keyboard', quantity: 1 },
      { sku: 'CB-010', name: 'USB-C cable', quantity: 2 },
    ],
  },
  {
    id: 'ord_6c11',
    customer_id: '000417',
    number: 'SO-2025-09877',
    status: 'delivered',
    placed_at: '2025-04-02T16:40:00Z',
    total: 54.5,
    currency: 'EUR',
    items: [{ sku: 'MS-330', name: 'Wireless mouse', quantity: 1 }],
  },
  {
    id: 'ord_51d0',
    customer_id: '000417',
    number: 'SO-2024-33120',
    status: 'delivered',
    placed_at: '2024-12-11T09:05:00Z',
    total: 349,
    currency: 'EUR',
    items: [{ sku: 'MN-270', name: '27" monitor', quantity: 1 }],
  },
  {
    id: 'ord_8e42',
    customer_id: '000982',
    number: 'SO-2025-10301',
    status: 'processing',
    placed_at: '2025-06-01T08:30:00Z',
    total: 19.99,
    currency: 'EUR',
    items: [{ sku: 'BK-COBOL', name: 'COBOL pocket guide', quantity: 1 }],
  },
];

/** CRM tickets. */
export const tickets: readonly Ticket[] = [
  {
    id: 'T-5521',
    customer_id: '000417',
    subject: 'Keyboard arrived without keycap puller',
    status: 'open',
    priority: 'normal',
    opened_at: '2025-05-30T12:00:00Z',
  },
  {
    id: 'T-5380',
    customer_id: '000417',
    subject: 'Invoice address change',
    status: 'closed',
    priority: 'low',
    opened_at: '2025-04-05T09:20:00Z',
  },
  {
    id: 'T-5602',
    customer_id: '000982',
    subject: 'Order not shipped yet',
    status: 'pending',
    priority: 'high',
    opened_at: '2025-06-03T15:45:00Z',
  },
];

/** Mail domains of throwaway addresses, which the email check refuses. */
export const disposableDomains: readonly string[] = ['mailinator.com', 'tempmail.dev', 'trashmail.io'];

/** Common typos of mail domains and what was meant. */
export const domainTypos: Readonly<Record<string, string>> = {
  'gmial.com': 'gmail.com',
  'gmai.com': 'gmail.com',
  'hotmial.com': 'hotmail.com',
  'yaho.com': 'yahoo.com',
  'exmaple.com': 'example.com',
};
