import type { SagaDefinition, SagaStep } from "./saga-definition";

export type SagaRegistry = ReturnType<typeof createSagaRegistry>;

/** The saga types an engine runs, looked up by the names stored with each instance and each job. */
// Definitions are stored erased: each one validates its own input with its schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function createSagaRegistry(sagas: readonly SagaDefinition<any>[]) {
  const definitions = new Map(sagas.map((saga) => [saga.type, saga as SagaDefinition]));

  function definitionOf(type: string): SagaDefinition {
    const definition = definitions.get(type);
    if (!definition) throw new Error(`No saga of type "${type}" is registered`);
    return definition;
  }

  function stepOf(definition: SagaDefinition, name: string): SagaStep<unknown> {
    const step = definition.steps.find((candidate) => candidate.name === name);
    if (!step) throw new Error(`Saga ${definition.type} has no step "${name}"`);
    return step;
  }

  return { definitionOf, stepOf };
}
