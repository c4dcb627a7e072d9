/**
 * publishedQuantity is pure, so it is tested as a table: one named row per rule (buffers, caps,
 * clamping, checkout holds, locations, kits, shared pools, what is never published), plus a
 * property for the one promise a shared pool makes: its shares never add up to more than it has.
 */
import fc from 'fast-check';
import { publishedQuantity, type KitComponentPosition, type LocationStock, type PublishInput } from '../../daemon/src/ledger/published-quantity.js';

function at(location: string, onHand: number, committed = 0): LocationStock {
  return { location, onHand, committed };
}

/** A simple tracked SKU, active listing, no buffer, no cap, channel subtracting holds. */
function input(overrides: Partial<PublishInput> = {}): PublishInput {
  return {
    channel: { buffer: 0, cap: null, subtractsHeld: true },
    listing: { buffer: null, cap: null, active: true },
    sku: { code: 'SKU-1', tracksStock: true, deleted: false },
    stock: { locations: [at('main', 10)], held: 0 },
    ...overrides,
  };
}

function component(sku: string, quantityPerKit: number, locations: LocationStock[], held = 0): KitComponentPosition {
  return { sku, quantityPerKit, locations, held };
}

interface Row {
  name: string;
  given: PublishInput;
  quantity: number | null;
  /** The steps, in order, that must explain the number. */
  steps: string[];
}

const channel = (buffer: number, cap: number | null, subtractsHeld = true) => ({ buffer, cap, subtractsHeld });
const listing = (buffer: number | null, cap: number | null, active = true) => ({ buffer, cap, active });

const rows: Row[] = [
  { name: 'a plain SKU publishes its available quantity', given: input(), quantity: 10, steps: ['available', 'published'] },
  { name: 'available is on hand minus committed', given: input({ stock: { locations: [at('main', 10, 4)], held: 0 } }), quantity: 6, steps: ['available', 'published'] },
  { name: 'the channel buffer is subtracted by default', given: input({ channel: channel(3, null) }), quantity: 7, steps: ['available', 'buffer', 'published'] },
  { name: 'a listing buffer overrides the channel buffer', given: input({ channel: channel(3, null), listing: listing(1, null) }), quantity: 9, steps: ['available', 'buffer', 'published'] },
  { name: 'a listing buffer of 0 switches the channel buffer off', given: input({ channel: channel(3, null), listing: listing(0, null) }), quantity: 10, steps: ['available', 'published'] },
  { name: 'the channel cap limits what is shown', given: input({ channel: channel(0, 5) }), quantity: 5, steps: ['available', 'published'] },
  { name: 'a listing cap overrides the channel cap, even upwards', given: input({ channel: channel(0, 5), listing: listing(null, 8) }), quantity: 8, steps: ['available', 'published'] },
  { name: 'a cap of 0 publishes 0', given: input({ listing: listing(null, 0) }), quantity: 0, steps: ['available', 'published'] },
  { name: 'a cap above available changes nothing', given: input({ channel: channel(0, 50) }), quantity: 10, steps: ['available', 'published'] },
  { name: 'a buffer larger than available clamps to 0', given: input({ channel: channel(15, null) }), quantity: 0, steps: ['available', 'buffer', 'published'] },
  { name: 'a backordered SKU below zero publishes 0', given: input({ stock: { locations: [at('main', -4)], held: 0 } }), quantity: 0, steps: ['available', 'published'] },
  { name: 'held checkout stock is subtracted when the channel subtracts holds', given: input({ stock: { locations: [at('main', 10)], held: 3 } }), quantity: 7, steps: ['available', 'published'] },
  { name: 'held checkout stock is ignored when the channel does not subtract holds', given: input({ channel: channel(0, null, false), stock: { locations: [at('main', 10)], held: 3 } }), quantity: 10, steps: ['available', 'published'] },
  { name: 'held stock, buffer and cap apply in that order', given: input({ channel: channel(2, 4), stock: { locations: [at('main', 10)], held: 3 } }), quantity: 4, steps: ['available', 'buffer', 'published'] },
  { name: 'stock over several locations is summed', given: input({ stock: { locations: [at('main', 4, 1), at('overflow', 6), at('fba', 2, 2)], held: 0 } }), quantity: 9, steps: ['available', 'published'] },
  { name: 'a negative location lowers the sum', given: input({ stock: { locations: [at('main', 5), at('overflow', -2)], held: 0 } }), quantity: 3, steps: ['available', 'published'] },
  { name: 'a SKU with no stock rows publishes 0', given: input({ stock: { locations: [], held: 0 } }), quantity: 0, steps: ['available', 'published'] },
  { name: 'a listing without a stock position publishes 0', given: input({ stock: undefined }), quantity: 0, steps: ['available', 'published'] },
  {
    name: 'a kit is limited by its scarcest component',
    given: input({ stock: undefined, components: [component('A', 1, [at('main', 10)]), component('B', 1, [at('main', 3)])] }),
    quantity: 3, steps: ['component', 'component', 'kit_available', 'published'],
  },
  {
    name: 'a kit divides each component by its quantity per kit, rounding down',
    given: input({ stock: undefined, components: [component('A', 3, [at('main', 10)]), component('B', 2, [at('main', 9)])] }),
    quantity: 3, steps: ['component', 'component', 'kit_available', 'published'],
  },
  {
    name: 'a kit whose component is below zero publishes 0',
    given: input({ stock: undefined, components: [component('A', 1, [at('main', 10)]), component('B', 1, [at('main', 1, 4)])] }),
    quantity: 0, steps: ['component', 'component', 'kit_available', 'published'],
  },
  {
    name: 'a kit sums each component over the channel locations',
    given: input({ stock: undefined, components: [component('A', 2, [at('main', 3), at('overflow', 3)])] }),
    quantity: 3, steps: ['component', 'kit_available', 'published'],
  },
  {
    name: 'held stock of a kit component is subtracted before dividing',
    given: input({ stock: undefined, components: [component('A', 2, [at('main', 9)], 3)] }),
    quantity: 3, steps: ['component', 'kit_available', 'published'],
  },
  {
    name: 'a kit gets the buffer and cap after its components are resolved',
    given: input({ channel: channel(1, 2), stock: undefined, components: [component('A', 1, [at('main', 10)])] }),
    quantity: 2, steps: ['component', 'kit_available', 'buffer', 'published'],
  },
  { name: 'the first share of a pool of 10 over 3 variations gets the remainder', given: input({ poolShare: { members: 3, index: 0 } }), quantity: 4, steps: ['available', 'pool_share', 'published'] },
  { name: 'the second share of a pool of 10 over 3 variations gets no remainder', given: input({ poolShare: { members: 3, index: 1 } }), quantity: 3, steps: ['available', 'pool_share', 'published'] },
  { name: 'the last share of a pool of 10 over 3 variations gets no remainder', given: input({ poolShare: { members: 3, index: 2 } }), quantity: 3, steps: ['available', 'pool_share', 'published'] },
  { name: 'a pool of 2 over 3 variations leaves the last share empty', given: input({ stock: { locations: [at('main', 2)], held: 0 }, poolShare: { members: 3, index: 2 } }), quantity: 0, steps: ['available', 'pool_share', 'published'] },
  { name: 'a pool below zero gives every share 0', given: input({ stock: { locations: [at('main', -3)], held: 0 }, poolShare: { members: 2, index: 0 } }), quantity: 0, steps: ['available', 'pool_share', 'published'] },
  { name: 'a pool with one listed variation is not split', given: input({ poolShare: { members: 1, index: 0 } }), quantity: 10, steps: ['available', 'published'] },
  { name: 'a pool share gets the buffer after the split', given: input({ channel: channel(1, null), poolShare: { members: 2, index: 0 } }), quantity: 4, steps: ['available', 'pool_share', 'buffer', 'published'] },
  { name: 'an untracked SKU publishes nothing', given: input({ sku: { code: 'SKU-1', tracksStock: false, deleted: false } }), quantity: null, steps: ['not_published'] },
  { name: 'a deleted SKU publishes nothing', given: input({ sku: { code: 'SKU-1', tracksStock: true, deleted: true } }), quantity: null, steps: ['not_published'] },
  { name: 'a paused listing publishes nothing', given: input({ listing: listing(null, null, false) }), quantity: null, steps: ['not_published'] },
];

describe('publishedQuantity', () => {
  test.each(rows)('$name', ({ given, quantity, steps }) => {
    const result = publishedQuantity(given);
    expect(result.quantity).toBe(quantity);
    expect(result.steps.map((step) => step.step)).toEqual(steps);
  });

  test('the last step explains the published number', () => {
    for (const { given, quantity } of rows) {
      const { steps } = publishedQuantity(given);
      const last = steps[steps.length - 1]!;
      if (quantity === null) expect(last).toMatchObject({ step: 'not_published', value: 0 });
      else expect(last).toMatchObject({ step: 'published', value: quantity });
      for (const step of steps) expect(step.detail.length).toBeGreaterThan(0);
    }
  });

  test('each step names the numbers it was computed from', () => {
    const { steps } = publishedQuantity(input({ channel: channel(2, 4), stock: { locations: [at('main', 10, 1), at('overflow', 2)], held: 3 }, listing: listing(1, null) }));
    expect(steps).toEqual([
      { step: 'available', value: 8, detail: 'main: 10 on hand − 1 committed; overflow: 2 on hand − 0 committed; − 3 held by checkouts' },
      { step: 'buffer', value: 7, detail: '− 1 buffer (this listing)' },
      { step: 'published', value: 4, detail: 'clamped to [0, 4]' },
    ]);
  });

  test('a kit step names the component, its quantity per kit and the kits it allows', () => {
    const { steps } = publishedQuantity(input({ stock: undefined, components: [component('BOLT', 4, [at('main', 9)]), component('NUT', 1, [at('main', 7)])] }));
    expect(steps[0]).toEqual({ step: 'component', value: 2, detail: 'BOLT × 4 per kit: main: 9 on hand − 0 committed → 2 kits' });
    expect(steps[2]).toEqual({ step: 'kit_available', value: 2, detail: 'the kit is limited by its scarcest component' });
  });

  test('a pool step names the pool, the number of variations and the share', () => {
    const { steps } = publishedQuantity(input({ poolShare: { members: 3, index: 1 } }));
    expect(steps[1]).toEqual({ step: 'pool_share', value: 3, detail: 'one pool of 10 shared by 3 listed variations; this is share 2' });
  });

  test('a nothing-published answer says why', () => {
    expect(publishedQuantity(input({ sku: { code: 'X', tracksStock: true, deleted: true } })).steps[0]!.detail).toBe('the SKU was deleted');
    expect(publishedQuantity(input({ sku: { code: 'X', tracksStock: false, deleted: false } })).steps[0]!.detail).toBe('stock is not managed for this SKU');
    expect(publishedQuantity(input({ listing: listing(null, null, false) })).steps[0]!.detail).toBe('the listing is paused');
  });

  test('the shares of a pool never add up to more than the pool, and split it evenly', () => {
    fc.assert(fc.property(
      fc.integer({ min: -20, max: 10_000 }),
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 1, max: 40 }),
      fc.nat({ max: 20 }),
      fc.option(fc.nat({ max: 500 }), { nil: null }),
      (onHand, held, members, buffer, cap) => {
        const share = (index: number, extra: Partial<PublishInput> = {}) => publishedQuantity(input({ stock: { locations: [at('main', onHand)], held }, poolShare: { members, index }, ...extra })).quantity!;
        const pool = Math.max(0, onHand - held);
        const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
        // Plain checks, not expect(), inside the property: it runs thousands of times.
        const plain = Array.from({ length: members }, (_, index) => share(index));
        const isEven = Math.max(...plain) - Math.min(...plain) <= 1 && plain.every((value, index) => index === 0 || value <= plain[index - 1]!);
        const limited = Array.from({ length: members }, (_, index) => share(index, { channel: channel(buffer, cap) }));
        return sum(plain) === pool && isEven && sum(limited) <= pool && limited.every((value) => value >= 0);
      },
    ), { numRuns: 500 });
  });
});
