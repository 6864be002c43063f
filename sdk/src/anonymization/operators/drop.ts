/** Returned by an operator to remove the member (or array item) from the output. */
export const DROP: unique symbol = Symbol('charter.anonymization.drop');

/** One compiled treatment: a JSON value in, a new value (or DROP) out. Never mutates its input. */
export type ApplyOperator = (value: unknown) => unknown;
