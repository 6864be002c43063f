/** The PostgreSQL channel on which every instance hears that a product's versions changed. */
export const CONTRACT_CHANNEL = 'charter_contract_changes';

/** Generation key that every product's invalidation also bumps (for reads not keyed by product). */
export const ANY_PRODUCT = '*';
