import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JsonObject } from '../event-store/event-store';
import { Roles } from '../http/principal';
import { asyncApiDocument } from './asyncapi-document';
import { PUBLIC_EVENT_TYPES } from './public-event-types';
import { RESOURCE_SCHEMAS } from './resource-schemas';

/** The public event catalogue, for subscribers writing a consumer. */
@ApiTags('events')
@ApiBearerAuth()
@Roles('user', 'media')
@Controller('v1/event-types')
export class EventTypesController {
  @Get()
  @ApiOperation({ summary: 'Every public event type with its version, description and JSON Schema of data.' })
  list(): { result: JsonObject[] } {
    return {
      result: PUBLIC_EVENT_TYPES.map((entry) => ({
        type: entry.type,
        version: entry.version,
        resource: entry.resource,
        description: entry.description,
        schema: RESOURCE_SCHEMAS[entry.resource],
      })),
    };
  }

  @Get('asyncapi.json')
  @ApiOperation({ summary: 'AsyncAPI 3.0 document of the event feed and the webhooks.' })
  asyncApi(): JsonObject {
    return asyncApiDocument();
  }
}
