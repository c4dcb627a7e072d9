import { SandboxState, type SandboxListing } from '../../daemon/src/sandbox/kit/sandbox-state.js';

function listing(sku: string, identifiers: Record<string, string>, quantity = 1): SandboxListing {
  return { sku, quantity, attributes: {}, identifiers, fulfilledByMarketplace: false, price: '1.00', revisionsToday: 0, updatedAtMs: 0 };
}

describe('the sandbox state', () => {
  test('finds listings by identifier, and follows additions, replacements, removals and in-place changes', () => {
    const state = new SandboxState();
    state.listings.set('A', listing('A', { listingId: '1' }));
    state.listings.set('B', listing('B', { listingId: '1' }));
    state.listings.set('C', listing('C', { listingId: '2' }));
    expect(state.listingsWith('listingId', '1').map((entry) => entry.sku)).toEqual(['A', 'B']);
    state.listings.set('B', listing('B', { listingId: '3' }));
    expect(state.listingsWith('listingId', '1').map((entry) => entry.sku)).toEqual(['A']);
    state.listings.delete('A');
    expect(state.listingsWith('listingId', '1')).toEqual([]);
    state.listings.get('C')!.identifiers = { listingId: '9' };
    expect(state.listingsWith('listingId', '2')).toEqual([]);
    expect(state.listingsWith('listingId', '9').map((entry) => entry.sku)).toEqual(['C']);
    state.reset();
    expect(state.listingsWith('listingId', '9')).toEqual([]);
  });

  test('a watcher hears every stored listing and every changed quantity, not an unchanged one', () => {
    const state = new SandboxState();
    state.listings.set('A', listing('A', {}, 4));
    const heard: Array<[string, number]> = [];
    state.watchQuantities((entry) => heard.push([entry.sku, entry.quantity]));
    state.listings.set('B', listing('B', {}, 7));
    state.listings.get('A')!.quantity = 5;
    state.listings.get('A')!.quantity = 5;
    state.listings.get('B')!.quantity = 0;
    expect(heard).toEqual([['A', 4], ['B', 7], ['A', 5], ['B', 0]]);
    expect(JSON.parse(JSON.stringify(state.listings.get('A')))).toMatchObject({ sku: 'A', quantity: 5 });
  });
});
