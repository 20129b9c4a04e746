import { v7 as uuidv7 } from 'uuid';

/**
 * Ids arrive from outside the domain. Time-ordered UUIDv7 by default: random v4 keys scatter inserts over
 * the store's indexes and roughly halve group-commit throughput.
 */
export interface IdGenerator {
  newId(): string;
}

export const ID_GENERATOR = Symbol('ID_GENERATOR');

export const uuidV7Generator: IdGenerator = { newId: () => uuidv7() };
