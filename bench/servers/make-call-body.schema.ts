/**
 * The JSON schema both reference servers validate `POST /v1/calls` with: seed 000's body, so they parse and
 * check what the product parses and checks for the bench's request.
 */
export const MAKE_CALL_BODY_SCHEMA = {
  body: {
    type: 'object',
    required: ['contact_id', 'type'],
    additionalProperties: false,
    properties: { contact_id: { type: 'string', maxLength: 200 }, type: { enum: ['voice', 'video'] } },
  },
} as const;
