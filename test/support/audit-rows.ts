/**
 * audit_events rows with the event's members as columns, read from `body` as the service's filters
 * read them (the table keeps the parsed text in `body` alone).
 */
export const auditRows = (
  alias = 'audit_rows',
): string => `(SELECT e.*, e.body ->> 'eventId' AS event_id, e.body -> 'actor' AS actor,
    e.body ->> 'action' AS action, e.body -> 'resource' AS resource, e.body ->> 'outcome' AS outcome,
    e.body ->> 'reason' AS reason, e.body -> 'decision' AS decision, e.body -> 'request' AS request,
    e.body -> 'change' AS change, e.body -> 'actor' ->> 'principalId' AS principal_id,
    e.body -> 'resource' ->> 'product' AS product, e.body -> 'resource' ->> 'productId' AS product_id
  FROM audit_events e) AS ${alias}`;
