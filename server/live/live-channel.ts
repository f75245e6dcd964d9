/**
 * The one place a Redis pub/sub channel gets its name. Making the names cluster-safe later (a hash tag such as
 * `{<id>}` for sharded pub/sub, or a prefix per deployment) is a change to this function alone.
 *
 * Pub/sub ignores Redis' database number: a PUBLISH reaches every subscriber of the server, whichever database it
 * selected. So a channel names a thing by an id that is unique on its own (a saga's UUID), never by a counter.
 */

/** What a live channel is about: a saga's state now; a product's stock levels later. */
export type LiveTopic = "saga";

/** `live:<topic>:<id>`, e.g. `live:saga:0b9c…`. */
export function liveChannel(topic: LiveTopic, id: string): string {
  return `live:${topic}:${id}`;
}
