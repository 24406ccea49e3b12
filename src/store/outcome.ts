import type { FastifyRequest } from 'fastify'
import type { Tx } from './store.ts'

/**
 * What a request committed, recorded in the same transaction as its effect
 * (SPEC §14.2: an idempotency key yields at most one effect). A client whose
 * request was cut by a crash retries with the same key and is answered from
 * this record: the resource it created (`execution:<id>`, read again so the
 * answer is current), or the response fixed at commit.
 */
export type CommittedOutcome =
  | { readonly resource: string }
  | { readonly status: number; readonly body: unknown }

/** Records the outcome; throws when the request no longer holds its key (another request took it over). */
export type RecordOutcome = (tx: Tx, outcome: CommittedOutcome) => Promise<void>

/** A request's recorder, or undefined when it carries no idempotency key; routes hand it to services. */
export type Recorder = (request: FastifyRequest) => RecordOutcome | undefined
