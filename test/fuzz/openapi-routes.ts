/** The parts of `/openapi.json` the fuzzer needs: every route, its parameters and its body's schema. */
export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  allOf?: JsonSchema[];
  $ref?: string;
  minimum?: number;
  maximum?: number;
}

export interface FuzzRoute {
  method: string;
  /** OpenAPI template, e.g. `/v1/calls/{id}`. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  headers: string[];
  body: JsonSchema | null;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export function routesOf(document: OpenApiDocument): FuzzRoute[] {
  const resolve = (schema: JsonSchema, depth = 0): JsonSchema => {
    if (depth > 8) return {};
    if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop()!], depth + 1);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0], depth + 1);
    const properties = schema.properties
      ? Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1)]))
      : undefined;
    const items = schema.items ? resolve(schema.items, depth + 1) : undefined;
    return { ...schema, properties, items };
  };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]): FuzzRoute => {
      const parameters = operation.parameters ?? [];
      const body = operation.requestBody?.content['application/json']?.schema;
      return {
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        headers: parameters.filter((p) => p.in === 'header').map((p) => p.name),
        body: body ? resolve(body) : null,
      };
    }),
  );
}
